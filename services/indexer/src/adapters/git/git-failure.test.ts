import { expect, it } from '@jest/globals';
import { gitFailure } from './git-failure.js';

it.each([
  [
    "fatal: unable to access 'https://github.com/a/b.git/': Failed to connect to github.com port 443 after 3 ms: Couldn't connect to server",
    'failed_precondition',
  ],
  [
    "fatal: unable to access 'https://github.com/a/b.git/': The requested URL returned error: 404",
    'failed_precondition',
  ],
  ["remote: Repository not found.\nfatal: repository 'https://github.com/a/b.git/' not found", 'failed_precondition'],
  ["fatal: could not read Username for 'https://github.com': terminal prompts disabled", 'failed_precondition'],
  ['Host key verification failed.\nfatal: Could not read from remote repository.', 'failed_precondition'],
  [
    'warning: Could not find remote branch nope to clone.\nfatal: Remote branch nope not found in upstream origin',
    'failed_precondition',
  ],
  ["fatal: unable to access 'https://github.com/a/b.git/': The requested URL returned error: 503", 'unavailable'],
  ['error: RPC failed; curl 56 GnuTLS recv error (-54): Error in the pull function.\nfatal: early EOF', 'unavailable'],
  ["fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com", 'unavailable'],
])('classifies %j as %s, with a generic message and the output as the cause', (output, code) => {
  const error = gitFailure('clone', 128, output);
  expect(error).toMatchObject({ code, message: 'could not fetch the repository' });
  expect(String(error.cause)).toContain(output.split('\n').pop()!);
});

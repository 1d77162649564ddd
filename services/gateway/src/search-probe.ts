#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Code, ConnectError } from '@connectrpc/connect';
import { probeSearch } from './probe-search.js';

// why: the Helm test's entry: exit 0 only when a real search through the gateway returns a hit, 1 with the reason otherwise.
const USAGE = 'usage: search-probe --url URL --query TEXT [--repo NAME] [--ca FILE]  (token from $CONEXUS_TOKEN)';

try {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      query: { type: 'string' },
      repo: { type: 'string' },
      ca: { type: 'string' },
    },
  });
  if (!values.url || !values.query) throw new Error(USAGE);
  const result = await probeSearch({
    url: values.url,
    query: values.query,
    repo: values.repo,
    ca: values.ca ? readFileSync(values.ca, 'utf8') : undefined,
    token: process.env.CONEXUS_TOKEN?.trim() || undefined,
  });
  if (result.ok) process.stdout.write(`search-probe ok: ${result.summary}\n`);
  else process.stderr.write(`search-probe failed: ${result.summary}\n`);
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  const reason = error instanceof ConnectError ? `${Code[error.code]}: ${error.rawMessage}` : null;
  process.stderr.write(`search-probe failed: ${reason ?? (error as Error).message}\n`);
  process.exitCode = 1;
}

import { parseArgs } from 'node:util';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { Effect, type GrantRequestSchema, type PolicyService } from '@conexus/api';
import { connectGateway } from '@conexus/client';
import { ConexusError } from '@conexus/kernel';
import type { Client } from '@connectrpc/connect';
import {
  explanationJson,
  formatExplanation,
  formatKeys,
  formatPolicies,
  keysJson,
  policiesJson,
} from './format-policy.js';
import { fromConnectError } from './from-connect-error.js';
import { readCliEnv } from './cli-env.js';

const DEFAULT_URL = 'http://127.0.0.1:7420';

const USAGE = `usage: conexus policy grant --subject SUBJECT --repo GLOB --path GLOB [--deny]   (allow unless --deny)
       conexus policy grant --member MEMBER --role role:NAME
       conexus policy revoke ID
       conexus policy list [--json]
       conexus policy explain --issuer ISSUER --subject SUBJECT [--group G]... [--role R]...
                              --repo REPO --path PATH [--json]
       conexus keys create --name NAME [--role R]... [--json]
       conexus keys list [--json]
       conexus keys revoke ID

Each command calls the admin API (conexus.v1.PolicyService) of the gateway at --url URL (default
$CONEXUS_URL or ${DEFAULT_URL}) with the token in CONEXUS_TOKEN: an OIDC access token or an API
key with the admin role. The token is read from the environment only, never from a flag: command
lines leak into shell history and \`ps\`.

SUBJECT and MEMBER: user:ISSUER#SUBJECT, group:NAME, role:NAME or key:ID. Globs: * and ? within a
path segment, ** across segments. grant prints the id (the same id for the same grant). keys create
prints the key's id and secret; the secret is never shown again. explain prints allowed or denied
with its reason, the matched rules and the subjects the user acts as, and exits 0 either way.

exit codes: 0 done; 2 bad usage, an unknown id, or a request the server refused as invalid;
67 no token, or the gateway rejected it; 69 the gateway or a service behind it is unavailable;
70 internal error; 77 the token lacks the admin role.
`;

const OPTIONS = {
  url: { type: 'string' },
  subject: { type: 'string' },
  repo: { type: 'string' },
  path: { type: 'string' },
  deny: { type: 'boolean' },
  member: { type: 'string' },
  role: { type: 'string', multiple: true },
  issuer: { type: 'string' },
  group: { type: 'string', multiple: true },
  name: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];
type Flag = keyof Values;

// why: a flag that does not apply (say --deny on a membership) is a mistake to report, not to ignore.
const FLAGS: Record<string, readonly Flag[]> = {
  'policy grant': ['subject', 'repo', 'path', 'deny', 'member', 'role'],
  'policy revoke': [],
  'policy list': ['json'],
  'policy explain': ['issuer', 'subject', 'group', 'role', 'repo', 'path', 'json'],
  'keys create': ['name', 'role', 'json'],
  'keys list': ['json'],
  'keys revoke': [],
};

/** Runs `conexus policy …` or `conexus keys …` (argv starts with the group) against a gateway's admin API. */
export async function runPolicy(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ConexusError('invalid_argument', `${(error as Error).message} (see \`conexus policy --help\`)`);
  }
  const { values, positionals } = parsed;
  const [group, command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const name = `${group} ${command}`;
  const accepted = FLAGS[name];
  if (!accepted)
    throw new ConexusError(
      'invalid_argument',
      `unknown command "conexus ${positionals.join(' ')}" (see \`conexus policy --help\`)`,
    );
  const stray = (Object.keys(values) as Flag[]).filter((flag) => flag !== 'url' && !accepted.includes(flag));
  if (stray.length > 0)
    throw new ConexusError(
      'invalid_argument',
      `${stray.map((flag) => `--${flag}`).join(', ')} does not apply to \`conexus ${name}\``,
    );
  const cliEnv = readCliEnv(env);
  const url = parseUrl(values.url ?? cliEnv.url ?? DEFAULT_URL);
  const token = cliEnv.token?.trim() || undefined;
  try {
    await runCommand(name, connectGateway(url, token).policy, values, rest);
    return 0;
  } catch (error) {
    throw fromConnectError(error, { url, hasToken: token !== undefined });
  }
}

async function runCommand(
  name: string,
  admin: Client<typeof PolicyService>,
  values: Values,
  rest: readonly string[],
): Promise<void> {
  const print = (text: string): void => void process.stdout.write(text);
  const json = (value: unknown): void => print(`${JSON.stringify(value)}\n`);
  if (!name.endsWith(' revoke') && rest.length > 0)
    throw new ConexusError('invalid_argument', `\`conexus ${name}\` takes no arguments, not "${rest.join(' ')}"`);
  switch (name) {
    case 'policy grant':
      print(`${(await admin.grant({ grant: grantOf(values) })).id}\n`);
      return;
    case 'policy revoke': {
      const id = onlyId(rest, name);
      if (!(await admin.revoke({ id })).revoked)
        throw new ConexusError(
          'not_found',
          `no rule or membership "${id}" in this tenant (see \`conexus policy list\`)`,
        );
      print(`revoked ${id}\n`);
      return;
    }
    case 'policy list': {
      const list = await admin.listPolicies({});
      if (values.json) json(policiesJson(list));
      else print(formatPolicies(list));
      return;
    }
    case 'policy explain': {
      const { issuer, subject, repo, path } = required(values, ['issuer', 'subject', 'repo', 'path'], name);
      const explained = await admin.explain({
        issuer,
        subject,
        repo,
        path,
        groups: values.group ?? [],
        roles: (values.role ?? []).map(roleName),
      });
      if (values.json) json(explanationJson(explained));
      else print(formatExplanation(explained));
      return;
    }
    case 'keys create': {
      const { name: keyName } = required(values, ['name'], name);
      const { apiKey, secret } = await admin.createApiKey({ name: keyName, roles: (values.role ?? []).map(roleName) });
      const note = 'note: the secret is not shown again (the server keeps only its hash); store it now\n';
      if (values.json) {
        json({ id: apiKey?.id ?? '', name: keyName, roles: apiKey?.roles ?? [], secret });
        process.stderr.write(note);
      } else {
        print(`id: ${apiKey?.id ?? ''}\nsecret: ${secret}\n${note}`);
      }
      return;
    }
    case 'keys list': {
      const { apiKeys } = await admin.listApiKeys({});
      if (values.json) json(keysJson(apiKeys));
      else print(formatKeys(apiKeys));
      return;
    }
    case 'keys revoke': {
      const id = onlyId(rest, name).replace(/^key:/, '');
      if (!(await admin.revokeApiKey({ id })).revoked)
        throw new ConexusError('not_found', `no API key "${id}" in this tenant (see \`conexus keys list\`)`);
      print(`revoked key ${id}\n`);
      return;
    }
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

function grantOf(values: Values): MessageInitShape<typeof GrantRequestSchema>['grant'] {
  const both = new ConexusError(
    'invalid_argument',
    'give --subject, --repo and --path (a rule) or --member and --role (a membership), not both (see `conexus policy --help`)',
  );
  if (values.member === undefined) {
    if (values.role) throw both;
    const { subject, repo, path } = required(values, ['subject', 'repo', 'path'], 'policy grant');
    return { case: 'rule', value: { subject, repo, path, effect: values.deny ? Effect.DENY : Effect.ALLOW } };
  }
  if ([values.subject, values.repo, values.path, values.deny].some((value) => value !== undefined)) throw both;
  if (values.role?.length !== 1)
    throw new ConexusError('invalid_argument', '`conexus policy grant --member` needs exactly one --role role:NAME');
  return { case: 'membership', value: { member: values.member, role: `role:${roleName(values.role[0]!)}` } };
}

function required<K extends 'issuer' | 'subject' | 'repo' | 'path' | 'name'>(
  values: Values,
  flags: readonly K[],
  name: string,
): Record<K, string> {
  const missing = flags.filter((flag) => !values[flag]);
  if (missing.length > 0)
    throw new ConexusError(
      'invalid_argument',
      `\`conexus ${name}\` needs ${missing.map((flag) => `--${flag}`).join(', ')} (see \`conexus policy --help\`)`,
    );
  return Object.fromEntries(flags.map((flag) => [flag, values[flag]!])) as Record<K, string>;
}

function onlyId(rest: readonly string[], name: string): string {
  if (rest.length !== 1 || !rest[0]) throw new ConexusError('invalid_argument', `usage: conexus ${name} ID`);
  return rest[0];
}

// why: memberships name roles as role:NAME, tokens and keys carry bare names; accept either spelling everywhere.
function roleName(role: string): string {
  return role.replace(/^role:/, '');
}

function parseUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new ConexusError('invalid_argument', `--url (or CONEXUS_URL) must be an http(s) URL, not "${text}"`);
  return text.replace(/\/+$/, '');
}

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { redactSecrets } from './redact-secrets.js';
import { SECRET_RULES } from './secret-rules.js';

// Fake secrets are built here at run time, so that no secret-looking literal is committed.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;
const HEX = '0123456789abcdef';
let seed = 1;
function fake(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor(seed / 65536) % alphabet.length];
  }
  return out;
}
const pem = (label: string): string =>
  [
    `-----BEGIN ${label} ` + 'KEY-----',
    fake(64, B64),
    fake(64, B64),
    fake(64, B64),
    `${fake(40, B64)}==`,
    `-----END ${label} ` + 'KEY-----',
  ].join('\n');

/** One runtime-built example per rule: the line it sits on and the secret that must disappear. */
const EXAMPLES: Record<string, { line: string; secret: string }> = (() => {
  const token = (secret: string, line = `value = use("${secret}")`) => ({ line, secret });
  const azureKey = `${fake(86, B64)}==`;
  const awsSecret = fake(40, B64);
  const urlPassword = fake(20);
  const generic = fake(24, `${ALNUM}!#%`);
  const env = fake(28);
  return {
    'private-key': token(pem('RSA PRIVATE')),
    'aws-access-key-id': token(`AKIA${fake(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`),
    'aws-secret-access-key': { line: `aws_secret_access_key = ${awsSecret}`, secret: awsSecret },
    'github-pat': token(`ghp_${fake(36)}`),
    'github-oauth-token': token(`gho_${fake(36)}`),
    'github-app-token': token(`ghs_${fake(36)}`),
    'github-refresh-token': token(`ghr_${fake(36)}`),
    'github-fine-grained-pat': token(`github_pat_${fake(22)}_${fake(59)}`),
    'gitlab-pat': token(`glpat-${fake(20, URLSAFE)}`),
    'slack-token': token(`xoxb-${fake(12, HEX)}-${fake(12, HEX)}-${fake(24)}`),
    'slack-webhook-url': token(`https://hooks.slack.com/services/T${fake(8)}/B${fake(8)}/${fake(24)}`),
    'stripe-secret-key': token(`sk_live_${fake(24)}`),
    'gcp-api-key': token(`AIza${fake(35, URLSAFE)}`),
    'anthropic-api-key': token(`sk-ant-api03-${fake(93, URLSAFE)}AA`),
    'openai-api-key': token(`sk-proj-${fake(120, URLSAFE)}`),
    'npm-access-token': token(`npm_${fake(36)}`),
    'pypi-upload-token': token(`pypi-AgEIcHlwaS5vcmc${fake(64, URLSAFE)}`),
    'twilio-api-key': token(`SK${fake(32, HEX)}`),
    'sendgrid-api-key': token(`SG.${fake(22, URLSAFE)}.${fake(43, URLSAFE)}`),
    jwt: token(`eyJ${fake(30, URLSAFE)}.eyJ${fake(40, URLSAFE)}.${fake(43, URLSAFE)}`),
    'azure-connection-string': {
      line: `conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${azureKey};EndpointSuffix=core.windows.net"`,
      secret: azureKey,
    },
    'url-password': {
      line: `DATABASE_URL = "postgres://app:${urlPassword}@db.internal:5432/app"`,
      secret: urlPassword,
    },
    'generic-secret-assignment': { line: `    password = "${generic}"`, secret: generic },
    'generic-secret-env': { line: `DB_PASSWORD=${env}`, secret: env },
  };
})();

describe('redactSecrets', () => {
  it('has an example for every rule', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(SECRET_RULES.map((rule) => rule.id).sort());
  });

  it.each(Object.entries(EXAMPLES))('redacts %s and records its rule and line', (rule, { line, secret }) => {
    const text = ['first line', '', line, 'last line', ''].join('\n');
    const { text: redacted, findings } = redactSecrets(text);
    expect(redacted).toContain(`[REDACTED:${rule}]`);
    expect(redacted).not.toContain(secret);
    for (const part of secret.split('\n').filter((piece) => piece.length > 20)) expect(redacted).not.toContain(part);
    expect(findings).toEqual([{ rule, line: 3 }]);
    expect(redacted.split('\n')).toHaveLength(text.split('\n').length);
  });

  it.each([
    'RSA PRIVATE',
    'EC PRIVATE',
    'DSA PRIVATE',
    'OPENSSH PRIVATE',
    'ENCRYPTED PRIVATE',
    'PRIVATE',
    'PGP PRIVATE',
  ])('replaces every line of a %s key block, keeping the lines around it', (label) => {
    const key = label === 'PGP PRIVATE' ? pem(label).replace(/KEY-----/g, 'KEY BLOCK-----') : pem(label);
    const text = `const a = 1;\nconst key = \`${key}\`;\nconst b = 2;\n`;
    const { text: redacted, findings } = redactSecrets(text);
    expect(redacted.split('\n')).toEqual([
      'const a = 1;',
      ...key
        .split('\n')
        .map(
          (_, index, all) =>
            `${index === 0 ? 'const key = `' : ''}[REDACTED:private-key]${index === all.length - 1 ? '`;' : ''}`,
        ),
      'const b = 2;',
      '',
    ]);
    expect(findings).toEqual([{ rule: 'private-key', line: 2 }]);
  });

  it.each([
    'RSA PRIVATE',
    'EC PRIVATE',
    'DSA PRIVATE',
    'OPENSSH PRIVATE',
    'ENCRYPTED PRIVATE',
    'PRIVATE',
    'PGP PRIVATE',
  ])('redacts a %s key block that lacks its END line through to the end of the text, line for line', (label) => {
    const block = label === 'PGP PRIVATE' ? pem(label).replace(/KEY-----/g, 'KEY BLOCK-----') : pem(label);
    const cut = block.split('\n').slice(0, -2);
    for (const ending of ['\n', '\r\n', '']) {
      const tail = ['', 'function after(x) { return x; }', `const copy = "${cut[1]}";`, '[REDACTED:example]'];
      const text = ['const a = 1;', `const key = \`${cut[0]}`, ...cut.slice(1), ...tail].join(ending || '\n') + ending;
      const { text: redacted, findings } = redactSecrets(text);
      const marker = '[REDACTED:private-key]';
      const expected = [
        'const a = 1;',
        `const key = \`${marker}`,
        ...cut.slice(1).map(() => marker),
        '',
        marker,
        marker,
        marker,
      ];
      expect(redacted).toBe(expected.join(ending || '\n') + ending);
      expect(findings).toEqual([{ rule: 'private-key', line: 2 }]);
      expect(redactSecrets(redacted).text).toBe(redacted);
    }
  });

  it('leaves a PEM parser alone that names a BEGIN marker without any END', () => {
    const parser = [
      `const HEADER = '-----BEGIN RSA PRIVATE ` + `KEY-----';`,
      'export function isPrivateKey(text) {',
      '  return text.trimStart().startsWith(HEADER) && text.includes("base64");',
      '}',
    ].join('\n');
    expect(redactSecrets(parser)).toEqual({ text: parser, findings: [] });
  });

  it('keeps CRLF line endings and finds every secret on a line', () => {
    const first = `ghp_${fake(36)}`;
    const second = `glpat-${fake(24)}`;
    const text = `a\r\nuse("${first}", "${second}")\r\nb\r\n`;
    const { text: redacted, findings } = redactSecrets(text);
    expect(redacted).toBe('a\r\nuse("[REDACTED:github-pat]", "[REDACTED:gitlab-pat]")\r\nb\r\n');
    expect(findings).toEqual([
      { rule: 'github-pat', line: 2 },
      { rule: 'gitlab-pat', line: 2 },
    ]);
  });

  it('lets the specific rule name a secret that a generic rule also matches', () => {
    const { text } = redactSecrets(`api_key = "sk_live_${fake(24)}"`);
    expect(text).toBe('api_key = "[REDACTED:stripe-secret-key]"');
  });

  it('leaves placeholders, names and low-entropy values alone', () => {
    const ordinary = [
      'password = "changeme"',
      'password: "hunter2"',
      'const LANGSMITH_API_KEY = "LANGSMITH_API_KEY";',
      'export const ACQUIRE_TOKEN_START = "msal:acquireTokenStart";',
      'const secret = process.env.APP_SECRET;',
      'token: string;',
      'token = get_token(user_id)',
      'api_key = "${API_KEY}"',
      'password = "<your-password>"',
      'secret_key = "xxxxxxxxxxxxxxxx"',
      'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app',
      'onError(token, "TAG_RESOLVE_FAILED", message)',
      `if (line === '-----BEGIN ' + 'PRIVATE KEY-----') { start = index; }`,
      `const pem = '-----BEGIN PRIVATE ' + 'KEY-----\\n' + body + '\\n-----END PRIVATE ' + 'KEY-----';`,
      'See https://docs.example.com/tokens for how to create a token.',
    ].join('\n');
    expect(redactSecrets(ordinary)).toEqual({ text: ordinary, findings: [] });
  });

  it('does not touch a PEM parser that names the BEGIN and END markers around code', () => {
    const parser = [
      'function parse(lines) {',
      "  const begin = lines.indexOf('-----BEGIN PRIVATE KEY-----');",
      "  const end = lines.indexOf('-----END PRIVATE KEY-----');",
      '  return lines.slice(begin + 1, end).join("");',
      '}',
    ].join('\n');
    expect(redactSecrets(parser).findings).toEqual([]);
  });

  it('leaves already redacted text unchanged', () => {
    const once = redactSecrets(
      Object.values(EXAMPLES)
        .map((example) => example.line)
        .join('\n'),
    ).text;
    expect(redactSecrets(once).text).toBe(once);
  });

  it('redacts 1 MB of ordinary source well within a second, and finds nothing in it', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => readFileSync(new URL(name, dir), 'utf8'));
    let text = '';
    while (text.length < 1024 * 1024) text += sources.join('\n');
    const started = performance.now();
    const { findings } = redactSecrets(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(findings).toEqual([]);
  });
});

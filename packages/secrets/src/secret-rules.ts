import type { SecretRule } from './secret-rule.js';

// why: every regex starts at a literal (or a short literal alternation, or a line start) and bounds every
// quantifier, so a failed attempt costs a bounded number of steps and a whole scan stays linear in the text.
// A literal-led regex scans as fast as a keyword search would, so only the costlier rules carry keywords.

// why: a comma separates a name from its value only after a closing quote (`set("token", "...")`), not in calls.
const ASSIGN = String.raw`(?:["'\]]?[ \t]{0,5}(?::=|=>|==?|:)|["']\]?[ \t]{0,5},)[ \t]{0,5}`;
const NAMES = String.raw`(?:passw(?:or)?d|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|credentials?)`;

// why: a value made of whole words (`LANGSMITH_API_KEY`, `msal:acquireTokenStart`, `Xenova/bert-base-NER`)
// is a name, however high its entropy; a random one breaks into fragments like `Ie`, `Gvm`, `O`. Each run of
// letters parses one way only, so a failed match cannot backtrack exponentially.
const NAME = /^(?:[A-Z]?[a-z]{2,}(?![a-z])|[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)|[_.:/[\]-])+$/;
const TEMPLATE = /\$\{|\{\{|^<[^>]*>$|^%[^%]*%$|^\$[A-Za-z_]\w*$|^[xX*.]+$/;
const NOT_A_SECRET = [NAME, TEMPLATE];
const STOPWORDS = [
  'passwd',
  'password',
  'secret',
  'token',
  'credential',
  'example',
  'placeholder',
  'changeme',
  'redacted',
  'http:',
  'https:',
];

/** The rules `redactSecrets` applies, most specific first: where two match the same text, the earlier names it. */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    description: 'PEM or PGP private key block (RSA, EC, DSA, OPENSSH, PKCS#8, encrypted, PGP)',
    // why: the body may only hold base64, armour headers, whitespace and quoting, so source code that
    // merely names the BEGIN and END markers (a PEM parser) is never swallowed. A block with no END in reach
    // (a truncated key) counts once 40 base64 characters follow its BEGIN, and then hides the rest of the text.
    regex:
      /-----BEGIN[ A-Z0-9_]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\"'`:,.;#*>|-]{32,32768}?-----END[ A-Z0-9_]{0,100}PRIVATE KEY(?: BLOCK)?-----|(?=[A-Za-z0-9+/=\s\\"'`:,.;#*>|-]{0,400}?[A-Za-z0-9+/]{40})(?<unterminated>))/dg,
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    regex: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/dg,
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key assigned to an AWS-named variable',
    regex: new RegExp(
      String.raw`(?:secret[_.-]?access[_.-]?key|(?:aws|amazon)[_.-]?secret[\w.-]{0,20})${ASSIGN}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'dgi',
    ),
    keywords: [
      'secret_access_key',
      'secretaccesskey',
      'secret-access-key',
      'secret.access.key',
      'aws_secret',
      'aws-secret',
      'awssecret',
      'amazon',
    ],
    entropy: 3.5,
    allow: NOT_A_SECRET,
    stopwords: STOPWORDS,
  },
  { id: 'github-pat', description: 'GitHub personal access token (classic)', regex: /\bghp_[A-Za-z0-9]{36,255}\b/dg },
  { id: 'github-oauth-token', description: 'GitHub OAuth access token', regex: /\bgho_[A-Za-z0-9]{36,255}\b/dg },
  {
    id: 'github-app-token',
    description: 'GitHub App user-to-server or server-to-server token',
    regex: /\b(?:ghu|ghs)_[A-Za-z0-9]{36,255}\b/dg,
  },
  { id: 'github-refresh-token', description: 'GitHub refresh token', regex: /\bghr_[A-Za-z0-9]{36,255}\b/dg },
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    regex: /\bgithub_pat_[A-Za-z0-9_]{50,255}\b/dg,
  },
  { id: 'gitlab-pat', description: 'GitLab personal access token', regex: /\bglpat-[A-Za-z0-9_-]{20,255}/dg },
  {
    id: 'slack-token',
    description: 'Slack bot, user, app, refresh or legacy token',
    regex: /\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,250}/dg,
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    regex: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{20,250}/dg,
  },
  {
    id: 'stripe-secret-key',
    description: 'Stripe secret or restricted API key',
    regex: /\b[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}\b/dg,
  },
  { id: 'gcp-api-key', description: 'Google API key', regex: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/dg },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API or admin key',
    regex: /\bsk-ant-[A-Za-z0-9_-]{32,300}/dg,
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key (legacy, project, service account or admin)',
    regex: /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,300}|[A-Za-z0-9]{48})(?![A-Za-z0-9_-])/dg,
  },
  { id: 'npm-access-token', description: 'npm access token', regex: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/dg },
  {
    id: 'pypi-upload-token',
    description: 'PyPI or TestPyPI upload token',
    regex: /\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}/dg,
  },
  { id: 'twilio-api-key', description: 'Twilio API key SID', regex: /\bSK[0-9a-fA-F]{32}\b/dg, entropy: 3 },
  {
    id: 'sendgrid-api-key',
    description: 'SendGrid API key',
    regex: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/dg,
  },
  {
    id: 'jwt',
    description: 'JSON Web Token with a signature',
    regex: /\beyJ[A-Za-z0-9_-]{8,8192}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,8192}/dg,
  },
  {
    id: 'azure-connection-string',
    description: 'Azure storage or Service Bus connection-string key',
    regex: /\b(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{20,200}={0,2})/dg,
    keywords: ['accountkey=', 'sharedaccesskey='],
  },
  {
    id: 'url-password',
    description: 'Password in a URL (scheme://user:password@host)',
    regex: /:\/\/[^\s:/@'"`<>]{1,64}:(?<secret>[^\s:/@'"`<>]{3,128})@[A-Za-z0-9.[-]/dg,
    entropy: 3,
    allow: NOT_A_SECRET,
    stopwords: STOPWORDS,
  },
  {
    id: 'generic-secret-assignment',
    description: 'Quoted, random-looking value assigned to a password, secret, token or key',
    regex: new RegExp(
      String.raw`${NAMES}[\w.-]{0,30}${ASSIGN}(?:[rbuf]|@)?(["'\x60])(?<secret>[!#-&(-\[\]-_a-~]{8,200})\1`,
      'dgi',
    ),
    keywords: ['passwd', 'password', 'secret', 'token', 'key', 'credential'],
    entropy: 3.5,
    allow: NOT_A_SECRET,
    stopwords: STOPWORDS,
  },
  {
    id: 'generic-secret-env',
    description: 'Unquoted, random-looking value of a password, secret, token or key in KEY=value or key: value form',
    regex: new RegExp(
      String.raw`^[ \t]*(?:export[ \t]+)?[\w.-]{0,40}?${NAMES}[\w.-]{0,40}[ \t]*[=:][ \t]*(?<secret>[A-Za-z0-9+/=_.~!@%^*-]{12,200})[ \t]*\r?$`,
      'dgim',
    ),
    keywords: ['passwd', 'password', 'secret', 'token', 'key', 'credential'],
    entropy: 3.5,
    allow: NOT_A_SECRET,
    stopwords: STOPWORDS,
  },
];

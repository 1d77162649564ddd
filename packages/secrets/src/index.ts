export { findSecrets, type SecretSpan } from './find-secrets.js';
export { redactSecrets, type Redaction, type SecretFinding } from './redact-secrets.js';
export type { SecretRule } from './secret-rule.js';
export { SECRET_RULES } from './secret-rules.js';
export { shannonEntropy } from './shannon-entropy.js';

export { redactSecrets, type Redaction, type SecretFinding } from './redact-secrets.js';

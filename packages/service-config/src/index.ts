export { readEnv, type EnvReader } from './env-reader.js';

export { readEnv, type EnvReader } from './env-reader.js';
export {
  DEFAULT_DRAIN_MS,
  runService,
  type RunningService,
  type RunServiceOptions,
  type ServiceProcess,
} from './run-service.js';

export { readEnv, type EnvReader } from './env-reader.js';
export { readHealthSettings, type HealthSettings } from './health-settings.js';
export { serveHealth, type HealthServer } from './serve-health.js';
export {
  DEFAULT_DRAIN_MS,
  runService,
  type RunningService,
  type RunServiceOptions,
  type ServiceProcess,
} from './run-service.js';

export { createJsonLogger, SILENT_LOGGER, type LogFields, type Logger } from './logger.js';
export { startTracing, type Tracing } from './start-tracing.js';

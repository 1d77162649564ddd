export { createJsonLogger, SILENT_LOGGER, type LogFields, type Logger } from './logger.js';

import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { serializeErrors } from './serialize-errors.js';

/** Fields attached to a log line; `traceId` links it to a trace. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Structured logging: one JSON object per line. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/**
 * Writes JSON lines (time, level, msg, the active trace id, fields) through pino to a stream, stderr by default.
 * Errors among the fields keep their stack, code and cause chain.
 */
export function createJsonLogger(base: LogFields = {}, write?: (line: string) => void): Logger {
  // why: a synchronous write, as process.stderr.write is for files and terminals: lines logged just before the
  // process exits are not lost.
  const destination: DestinationStream = write ? { write } : pino.destination({ fd: 2, sync: true });
  const root = pino(
    {
      base: null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => serializeErrors(bindings) as Record<string, unknown>,
        log: (fields) => serializeErrors(fields) as Record<string, unknown>,
      },
      mixin: () => {
        const traceId = trace.getActiveSpan()?.spanContext().traceId;
        return traceId ? { traceId } : {};
      },
    },
    destination,
  );
  return wrap(root.child(base));
}

function wrap(log: PinoLogger): Logger {
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
    child: (fields) => wrap(log.child(fields)),
  };
}

/** A logger that drops everything, for embedding where the host owns the output. */
export const SILENT_LOGGER: Logger = { info() {}, warn() {}, error() {}, child: () => SILENT_LOGGER };

import { trace } from '@opentelemetry/api';

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

/** Writes JSON lines (time, level, msg, the active trace id, fields) to a stream, stderr by default. */
export function createJsonLogger(base: LogFields = {}, write: (line: string) => void = (line) => void process.stderr.write(line)): Logger {
  const emit = (level: string, message: string, fields?: LogFields): void => {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...(traceId ? { traceId } : {}), ...base, ...fields }, errorsAsText)}\n`);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createJsonLogger({ ...base, ...fields }, write),
  };
}

/** A logger that drops everything, for embedding where the host owns the output. */
export const SILENT_LOGGER: Logger = { info() {}, warn() {}, error() {}, child: () => SILENT_LOGGER };

function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}

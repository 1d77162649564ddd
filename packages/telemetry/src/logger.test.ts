import { afterAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createJsonLogger, SILENT_LOGGER } from './logger.js';
import { startTracing } from './start-tracing.js';

/** A logger writing into an array, and the lines it wrote, parsed. */
function capture(base?: Record<string, unknown>) {
  const lines: string[] = [];
  const log = createJsonLogger(base, (line) => void lines.push(line));
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const tracing = startTracing('logger-test', {}, new InMemorySpanExporter());
afterAll(() => tracing.stop());

describe('the JSON logger', () => {
  it('writes one JSON object per line: time, level, msg, the base fields and the line fields', () => {
    const { log, lines, parsed } = capture({ service: 'query' });
    log.info('started', { port: 8080 });
    log.warn('slow', { ms: 900 });
    log.error('failed');
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(parsed()).toEqual([
      { time: expect.any(String), level: 'info', msg: 'started', service: 'query', port: 8080 },
      { time: expect.any(String), level: 'warn', msg: 'slow', service: 'query', ms: 900 },
      { time: expect.any(String), level: 'error', msg: 'failed', service: 'query' },
    ]);
    expect(new Date(parsed()[0]!.time as string).toISOString()).toBe(parsed()[0]!.time);
  });

  it('adds a child logger’s fields to every line, a line’s own fields winning', () => {
    const { log, parsed } = capture({ service: 'indexer' });
    const child = log.child({ repo: 'shop' }).child({ job: 7 });
    child.info('indexed', { files: 3, repo: 'shop-2' });
    expect(parsed()[0]).toMatchObject({ service: 'indexer', repo: 'shop-2', job: 7, files: 3, msg: 'indexed' });
  });

  it('keeps an error’s type, stack, code and cause chain, however deep it sits', () => {
    const { log, parsed } = capture();
    // why: an error's own fields, like a ConexusError's code, come along.
    const cause = Object.assign(new Error('no such repository'), { code: 'not_found' });
    const error = new Error('indexing failed', { cause });
    log.error('job failed', { error, attempts: [{ error: new TypeError('bad input') }] });
    const [line] = parsed();
    expect(line!.error).toMatchObject({
      type: 'Error',
      message: 'indexing failed',
      stack: expect.stringContaining('Error: indexing failed'),
      cause: { message: 'no such repository', code: 'not_found', stack: expect.any(String) },
    });
    expect(line!.attempts).toEqual([{ error: expect.objectContaining({ type: 'TypeError', message: 'bad input' }) }]);
  });

  it('carries the active trace id', () => {
    const { log, parsed } = capture();
    trace.getTracer('test').startActiveSpan('work', (span) => {
      log.info('inside');
      span.end();
    });
    log.info('outside');
    const [inside, outside] = parsed();
    expect(inside!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(outside!.traceId).toBeUndefined();
  });

  it('has a silent logger that writes nothing, children included', () => {
    expect(() => SILENT_LOGGER.child({ a: 1 }).error('x', { error: new Error('y') })).not.toThrow();
  });
});

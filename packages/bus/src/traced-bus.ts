import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Bus, BusHeaders } from './bus.js';

const tracer = trace.getTracer('conexus-bus');

/** Wraps a bus so that every request, reply, publish and job carries W3C trace context and gets a span. */
export function tracedBus(bus: Bus): Bus {
  return {
    request(subject, data, options) {
      return tracer.startActiveSpan(
        `${subject} request`,
        { kind: SpanKind.CLIENT, attributes: { 'messaging.destination.name': subject } },
        (span) => finish(span, () => bus.request(subject, data, { ...options, headers: withTrace(options.headers) })),
      );
    },
    respond(subject, responder, group) {
      return bus.respond(
        subject,
        (message) =>
          inContext(message.headers, `${subject} reply`, SpanKind.SERVER, (span) =>
            finish(span, () => responder(message)),
          ),
        group,
      );
    },
    publish(subject, data, headers) {
      bus.publish(subject, data, withTrace(headers));
    },
    subscribe: (subject, listener) => bus.subscribe(subject, listener),
    enqueue(queue, id, data, headers) {
      return tracer.startActiveSpan(
        `${queue} enqueue`,
        { kind: SpanKind.PRODUCER, attributes: { 'messaging.message.id': id } },
        (span) => finish(span, () => bus.enqueue(queue, id, data, withTrace(headers))),
      );
    },
    consume(queue, worker) {
      return bus.consume(queue, (job) =>
        inContext(job.headers, `${queue} process`, SpanKind.CONSUMER, (span) => {
          span.setAttribute('messaging.message.id', job.id);
          span.setAttribute('messaging.delivery_count', job.deliveries);
          return finish(span, () => worker(job));
        }),
      );
    },
    pending: (queue) => bus.pending(queue),
    close: () => bus.close(),
  };
}

function withTrace(headers: BusHeaders = {}): BusHeaders {
  const carrier: Record<string, string> = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
}

function inContext<T>(headers: BusHeaders, name: string, kind: SpanKind, work: (span: Span) => Promise<T>): Promise<T> {
  const parent: Context = propagation.extract(context.active(), headers);
  return context.with(parent, () => tracer.startActiveSpan(name, { kind }, work));
}

async function finish<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

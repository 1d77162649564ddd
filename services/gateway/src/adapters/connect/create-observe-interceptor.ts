import type { DescMessage, Message } from '@bufbuild/protobuf';
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import { context, propagation, SpanKind, SpanStatusCode, trace, type TextMapGetter } from '@opentelemetry/api';
import type { Logger } from '@conexus/telemetry';
import type { GatewayMetrics } from '../http/gateway-metrics.js';
import { findUnknownEnum } from './find-unknown-enum.js';
import { toConnectError } from './to-connect-error.js';

const tracer = trace.getTracer('conexus-gateway');
const HEADER_GETTER: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * Every RPC's span (joined to the caller's trace), duration and outcome metrics, unknown enum values refused,
 * and every error translated to a Connect error once, here at the edge; internal errors are logged.
 */
export function createObserveInterceptor(deps: {
  metrics: Pick<GatewayMetrics, 'observeRequest'>;
  log: Logger;
}): Interceptor {
  const { metrics, log } = deps;
  return (next) => (request) => {
    const method = `${request.service.typeName}/${request.method.name}`;
    const parent = propagation.extract(context.active(), request.header, HEADER_GETTER);
    return context.with(parent, () =>
      tracer.startActiveSpan(
        method,
        { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'connect_rpc', 'rpc.method': method } },
        async (span) => {
          const started = performance.now();
          try {
            if (!request.stream) refuseUnknownEnums(request.method.input, request.message);
            const response = await next(request);
            metrics.observeRequest(method, 'ok', (performance.now() - started) / 1000);
            // why: a streaming handler fails while it is iterated, after this interceptor returned; its errors are translated here too.
            return response.stream ? { ...response, message: translateErrors(response.message) } : response;
          } catch (reason) {
            const error = toConnectError(reason);
            metrics.observeRequest(method, String(error.code), (performance.now() - started) / 1000);
            span.setStatus({ code: SpanStatusCode.ERROR, message: error.rawMessage });
            if (error.code === Code.Internal) log.error('request failed', { method, error: reason });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
    );
  };
}

function refuseUnknownEnums(schema: DescMessage, message: unknown): void {
  const field = findUnknownEnum(schema, message as Message);
  if (field) throw new ConnectError(`${field}: unknown enum value`, Code.InvalidArgument);
}

async function* translateErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (reason) {
    throw toConnectError(reason);
  }
}

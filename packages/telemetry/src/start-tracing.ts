import { NodeSDK } from '@opentelemetry/sdk-node';
import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Stops tracing and flushes what is buffered. */
export interface Tracing {
  stop(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for a service: spans go to `exporter` when given (tests), else to the OTLP
 * endpoint configured by the standard OTEL_* variables. With neither, tracing stays a no-op.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv, exporter?: SpanExporter): Tracing {
  const configured =
    env.OTEL_EXPORTER_OTLP_ENDPOINT ||
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
    (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== 'none');
  if (!exporter && !configured) return { stop: async () => {} };
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || serviceName,
    ...(exporter ? { spanProcessors: [new SimpleSpanProcessor(exporter)] } : {}),
    instrumentations: [],
  });
  sdk.start();
  return { stop: () => sdk.shutdown() };
}

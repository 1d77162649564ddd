import { create } from '@bufbuild/protobuf';
import type { ConnectRouter, ServiceImpl } from '@connectrpc/connect';
import {
  ContextService,
  Health,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus,
  IndexService,
  PolicyService,
  ServerReflection,
} from '@conexus/api';
import { createServerReflection } from './server-reflection.js';

/** The gateway's RPC services: context, index and policy, health (from `ready`) and reflection. */
export function createRpcRoutes(deps: {
  context: Partial<ServiceImpl<typeof ContextService>>;
  index: Partial<ServiceImpl<typeof IndexService>>;
  policy: Partial<ServiceImpl<typeof PolicyService>>;
  ready: () => Promise<boolean>;
}): (router: ConnectRouter) => void {
  const reflection = createServerReflection([ContextService, IndexService, PolicyService, Health, ServerReflection]);
  return (router) => {
    router.service(ContextService, deps.context);
    router.service(IndexService, deps.index);
    router.service(PolicyService, deps.policy);
    router.service(Health, {
      check: async () =>
        create(HealthCheckResponseSchema, {
          status: (await deps.ready())
            ? HealthCheckResponse_ServingStatus.SERVING
            : HealthCheckResponse_ServingStatus.NOT_SERVING,
        }),
    });
    router.service(ServerReflection, reflection);
  };
}

import { create, toBinary } from '@bufbuild/protobuf';
import { ListReposRequestSchema } from '@conexus/api';
import { formatPrincipal } from '@conexus/access';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, querySubject } from '@conexus/wire';

const READY_TIMEOUT_MS = 2_000;
const READY_REQUEST = toBinary(ListReposRequestSchema, create(ListReposRequestSchema));
const READY_HEADERS = {
  [HEADERS.principal]: formatPrincipal({
    issuer: 'conexus:probe',
    subject: 'readyz',
    tenant: '',
    groups: [],
    roles: [],
  }),
};

/** Whether the gateway can serve: a query replica answers a repository listing over the bus. */
export function createReadinessProbe(bus: Bus): () => Promise<boolean> {
  return () =>
    bus.request(querySubject('repos'), READY_REQUEST, { timeoutMs: READY_TIMEOUT_MS, headers: READY_HEADERS }).then(
      () => true,
      // why: the probe principal may be refused by access control, which still proves the query path is up.
      (error: unknown) =>
        error instanceof ConexusError && error.code !== 'unavailable' && error.code !== 'deadline_exceeded',
    );
}

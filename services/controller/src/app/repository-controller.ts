import type { Logger } from '@conexus/telemetry';
import { REPOSITORY_FINALIZER, repositoryName, type ConexusRepository } from '../domain/conexus-repository.js';
import {
  missingCredentialsStatus,
  nextCheckMs,
  nextStatus,
  planIndexing,
  RESYNC_MS,
  statusChanged,
} from '../domain/plan-reconcile.js';
import type { RepositoryResources } from '../ports/repository-resources.js';
import type { TenantGateways } from '../ports/tenant-index.js';

/** What the controller works with: the resources of its namespace and the gateway, per tenant. */
export interface RepositoryControllerDeps {
  readonly resources: RepositoryResources;
  readonly gateways: TenantGateways;
  readonly log: Logger;
  readonly now?: () => number;
}

/** A running reconcile loop. */
export interface RepositoryController {
  stop(): Promise<void>;
}

const RETRY_AFTER_ERROR_MS = 10_000;

/**
 * Reconciles every ConexusRepository of the namespace, one at a time: adds it to Conexus when its spec changes,
 * re-indexes it on its schedule, reports the job in its status, and removes it from Conexus before it is deleted.
 */
export async function startRepositoryController(deps: RepositoryControllerDeps): Promise<RepositoryController> {
  const { resources, gateways, log } = deps;
  const now = deps.now ?? Date.now;
  const timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const seen = new Map<string, string>();
  let queue = Promise.resolve();
  let stopped = false;

  const schedule = (name: string, delayMs: number): void => {
    if (stopped) return;
    const at = now() + delayMs;
    const pending = timers.get(name);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      timers.delete(name);
      queue = queue.then(() => reconcileSafely(name));
    }, delayMs);
    timers.set(name, { at, timer });
  };

  const reconcileSafely = async (name: string): Promise<void> => {
    if (stopped) return;
    try {
      const delay = await reconcile(name);
      if (delay !== undefined) schedule(name, delay);
    } catch (error) {
      const resource = resources.get(name);
      const message = error instanceof Error ? error.message : String(error);
      log.warn('reconcile failed', { resource: name, error: message });
      if (resource && !resource.metadata.deletionTimestamp) await reportError(resource, message).catch(() => undefined);
      schedule(name, RETRY_AFTER_ERROR_MS);
    }
  };

  const reportError = async (resource: ConexusRepository, message: string): Promise<void> => {
    const status = nextStatus(resource, undefined, undefined, now());
    const failed = {
      ...status,
      phase: 'Failed' as const,
      message,
      observedGeneration: resource.status?.observedGeneration,
      conditions: status.conditions?.map((entry) => ({
        ...entry,
        status: 'False' as const,
        reason: 'GatewayError',
        message,
      })),
    };
    if (statusChanged(resource.status, failed)) await resources.setStatus(resource, failed);
  };

  /** One pass over one resource; resolves with when to look again (undefined: when it next changes). */
  const reconcile = async (name: string): Promise<number | undefined> => {
    const resource = resources.get(name);
    if (!resource) return undefined;
    const finalizers = resource.metadata.finalizers ?? [];
    const held = finalizers.includes(REPOSITORY_FINALIZER);
    const gateway = gateways(resource.spec.tenant);
    if (resource.metadata.deletionTimestamp) {
      if (!held) return undefined;
      if (gateway) await gateway.remove(repositoryName(resource));
      else log.warn('removing the finalizer without credentials: the repository stays in Conexus', { resource: name });
      await resources.setFinalizers(
        resource,
        finalizers.filter((entry) => entry !== REPOSITORY_FINALIZER),
      );
      log.info('repository removed', { resource: name, repository: repositoryName(resource) });
      return undefined;
    }
    const at = now();
    if (!gateway) {
      const status = missingCredentialsStatus(resource, at);
      if (statusChanged(resource.status, status)) await resources.setStatus(resource, status);
      return RESYNC_MS;
    }
    // why: the finalizer goes on before anything is added, so no repository is left behind by a deletion.
    if (!held) {
      await resources.setFinalizers(resource, [...finalizers, REPOSITORY_FINALIZER]);
      return undefined;
    }
    const repository = repositoryName(resource);
    const index = await gateway.status(repository);
    const action = planIndexing(resource, index, at);
    const jobId =
      action === 'add'
        ? await gateway.add(repository, resource.spec.source, resource.spec.branch || undefined)
        : action === 'reindex'
          ? await gateway.reindex(repository)
          : undefined;
    if (jobId) log.info('index job queued', { resource: name, repository, action, jobId });
    const status = nextStatus(resource, index, jobId, at);
    if (statusChanged(resource.status, status)) await resources.setStatus(resource, status);
    return nextCheckMs(resource, status, at);
  };

  // why: the controller's own status writes change the object too; only a new spec, a deletion or other finalizers
  // call for a pass at once (everything else is polled on schedule).
  const signature = (resource: ConexusRepository): string =>
    `${resource.metadata.generation}|${String(resource.metadata.deletionTimestamp ?? '')}|${(resource.metadata.finalizers ?? []).join(',')}`;
  await resources.watch((name) => {
    const resource = resources.get(name);
    if (!resource) {
      seen.delete(name);
      return;
    }
    const now = signature(resource);
    if (seen.get(name) === now) return;
    seen.set(name, now);
    schedule(name, 0);
  });
  for (const name of resources.names()) schedule(name, 0);

  return {
    async stop() {
      stopped = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      await resources.stop();
      await queue;
    },
  };
}

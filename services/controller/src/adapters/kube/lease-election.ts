import { ApiException, type CoordinationV1Api, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import type { Logger } from '@conexus/telemetry';

/** Where the lease lives, who is asking, and how long a holder keeps it without renewing. */
export interface LeaseElectionOptions {
  readonly api: CoordinationV1Api;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseSeconds?: number;
  readonly renewEveryMs?: number;
  readonly retryEveryMs?: number;
  readonly log: Logger;
  /** Called on becoming the leader; the signal aborts when leadership is lost or the election stops. */
  readonly lead: (signal: AbortSignal) => void;
}

/** A running election. */
export interface LeaseElection {
  isLeader(): boolean;
  /** Stops leading (releasing the lease, so a successor need not wait for it to expire) and stops trying. */
  stop(): Promise<void>;
}

/**
 * Elects one leader among the replicas with a coordination.k8s.io Lease, as client-go's leader election does:
 * the holder renews it; another replica takes it over once it has seen no renewal for the lease's duration
 * (by its own clock, so clocks need not agree); every write is conditional on the resourceVersion it read.
 */
export function startLeaseElection(options: LeaseElectionOptions): LeaseElection {
  const leaseSeconds = options.leaseSeconds ?? 15;
  const renewEveryMs = options.renewEveryMs ?? 5_000;
  const retryEveryMs = options.retryEveryMs ?? 2_000;
  const { api, namespace, name, identity, log } = options;
  let leading: AbortController | undefined;
  let lastRenewed = 0;
  let observed: { version: string; at: number } | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const stopLeading = (why: string): void => {
    if (!leading) return;
    log.warn('controller leadership lost', { lease: name, identity, why });
    leading.abort();
    leading = undefined;
  };

  const record = (previous: V1Lease | undefined, now: Date): V1Lease => {
    const held = previous?.spec?.holderIdentity === identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace, resourceVersion: previous?.metadata?.resourceVersion },
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: leaseSeconds,
        acquireTime: held ? previous.spec!.acquireTime : new V1MicroTime(now.getTime()),
        renewTime: new V1MicroTime(now.getTime()),
        leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (held || !previous ? 0 : 1),
      },
    };
  };

  const attempt = async (): Promise<boolean> => {
    const now = new Date();
    let lease: V1Lease | undefined;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!(error instanceof ApiException) || error.code !== 404) throw error;
    }
    if (!lease) {
      await api.createNamespacedLease({ namespace, body: record(undefined, now) });
      return true;
    }
    const version = lease.metadata?.resourceVersion ?? '';
    if (observed?.version !== version) observed = { version, at: now.getTime() };
    const holder = lease.spec?.holderIdentity ?? '';
    const duration = (lease.spec?.leaseDurationSeconds ?? leaseSeconds) * 1000;
    const expired = now.getTime() - observed.at > duration;
    if (holder && holder !== identity && !expired) return false;
    await api.replaceNamespacedLease({ name, namespace, body: record(lease, now) });
    return true;
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      const won = await attempt();
      if (stopped) return;
      if (won) {
        lastRenewed = Date.now();
        if (!leading) {
          leading = new AbortController();
          log.info('controller leading', { lease: name, identity });
          options.lead(leading.signal);
        }
      } else stopLeading('another replica holds the lease');
    } catch (error) {
      // why: a conflict means someone else wrote the lease first; anything else (API unreachable) keeps the lead
      // only while the last renewal is within the lease's duration.
      const conflict = error instanceof ApiException && error.code === 409;
      if (conflict || Date.now() - lastRenewed > leaseSeconds * 1000)
        stopLeading(conflict ? 'lost a write race for the lease' : `renewal failed: ${String(error)}`);
      if (!conflict) log.warn('lease renewal failed', { lease: name, error: String(error) });
    }
    if (!stopped) timer = setTimeout(() => void tick(), leading ? renewEveryMs : retryEveryMs);
  };
  void tick();

  return {
    isLeader: () => leading !== undefined,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (!leading) return;
      stopLeading('stopping');
      try {
        const lease = await api.readNamespacedLease({ name, namespace });
        if (lease.spec?.holderIdentity !== identity) return;
        // why: a lease held by nobody is taken at the next retry instead of after the duration.
        await api.replaceNamespacedLease({
          name,
          namespace,
          body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } },
        });
      } catch (error) {
        log.warn('could not release the lease', { lease: name, error: String(error) });
      }
    },
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@conexus/testkit';
import { kubectlJson, releasePods, run, type PodView } from './kube.js';

/** The pods of one component of a release, Running and Ready or not. */
export async function componentPods(namespace: string, release: string, component: string): Promise<PodView[]> {
  return (await releasePods(namespace, release)).filter(
    (pod) => pod.metadata.labels?.['app.kubernetes.io/component'] === component,
  );
}

/** Waits until the component has `count` pods, every one Running and Ready, none of them in `gone` (pod uids: a StatefulSet's new pod keeps the old name). */
export async function waitForComponent(
  namespace: string,
  release: string,
  component: string,
  count: number,
  gone: readonly string[] = [],
  timeoutMs = 240_000,
): Promise<string[]> {
  return eventually(
    async () => {
      const pods = await componentPods(namespace, release, component);
      const ready = pods.filter(
        (pod) =>
          pod.status.phase === 'Running' &&
          !pod.metadata.deletionTimestamp &&
          pod.status.containerStatuses?.every((status) => status.ready),
      );
      return pods.length === count && ready.length === count && !ready.some((pod) => gone.includes(pod.metadata.uid))
        ? ready.map((pod) => pod.metadata.name)
        : undefined;
    },
    timeoutMs,
    `${component}: ${count} pods Ready`,
  );
}

/**
 * Evicts a pod through the Eviction API, as `kubectl drain` does: while its PodDisruptionBudget allows no
 * disruption the API answers 429 and the eviction is tried again. Resolves with how many times it was refused.
 */
export async function evictPod(namespace: string, name: string, scratch: string, timeoutMs = 240_000): Promise<number> {
  const body = join(scratch, `eviction-${name}.json`);
  writeFileSync(body, JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } }));
  let refused = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await run('kubectl', ['create', '--raw', `/api/v1/namespaces/${namespace}/pods/${name}/eviction`, '-f', body]);
      return refused;
    } catch (error) {
      // why: "Cannot evict pod as it would violate the pod's disruption budget" is the 429 drain waits out.
      if (!/disruption budget|TooManyRequests|429/i.test(String(error)) || Date.now() > deadline) throw error;
      refused += 1;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

/** The name of the bundled NATS server that leads the JetStream meta group, read from a server's monitoring port. */
export async function natsMetaLeader(namespace: string, release: string): Promise<string> {
  const pods = await kubectlJson<{ items: { metadata: { name: string }; status: { podIP?: string } }[] }>([
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    `app.kubernetes.io/instance=${release},app.kubernetes.io/component=nats`,
  ]);
  for (const pod of pods.items) {
    if (!pod.status.podIP) continue;
    try {
      const answer = (await (await fetch(`http://${pod.status.podIP}:8222/jsz`)).json()) as {
        meta_cluster?: { leader?: string };
      };
      if (answer.meta_cluster?.leader) return answer.meta_cluster.leader;
    } catch {
      // why: a server that is restarting does not answer; another one knows the leader.
    }
  }
  throw new Error('no NATS server named a JetStream meta leader');
}

/** The number of messages in a JetStream stream, the most any bundled NATS server reports (read from its monitoring port). */
export async function streamMessages(namespace: string, release: string, stream: string): Promise<number> {
  const pods = await kubectlJson<{ items: { status: { podIP?: string } }[] }>([
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    `app.kubernetes.io/instance=${release},app.kubernetes.io/component=nats`,
  ]);
  let most = -1;
  for (const pod of pods.items) {
    if (!pod.status.podIP) continue;
    try {
      const answer = (await (await fetch(`http://${pod.status.podIP}:8222/jsz?accounts=true&streams=true`)).json()) as {
        account_details?: { stream_detail?: { name: string; state: { messages: number } }[] }[];
      };
      for (const account of answer.account_details ?? [])
        for (const detail of account.stream_detail ?? [])
          if (detail.name === stream) most = Math.max(most, detail.state.messages);
    } catch {
      // why: a server that is restarting does not answer; the others report the stream.
    }
  }
  if (most < 0) throw new Error(`no NATS server reported the stream ${stream}`);
  return most;
}

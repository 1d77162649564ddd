import { execFile } from 'node:child_process';

/** What a test cluster run tells the tests (set by scripts/k8s/e2e-in-namespace.sh). */
export interface ClusterRun {
  /** The host's address on the pod bridge: where pods reach servers the test starts. */
  readonly hostIp: string;
  /** The node's address: where the Kubernetes API server listens (port 6443) behind the `kubernetes` Service. */
  readonly nodeIp: string;
  /** The image tag `helm install` deploys, and the one `helm upgrade` rolls to. */
  readonly tag: string;
  readonly upgradeTag: string;
  /** Where the run keeps its files (certificates, values, the forge's repositories). */
  readonly runDir: string;
}

/** Reads the run's settings from the environment, failing with the variable that is missing. */
export function clusterRun(env: NodeJS.ProcessEnv = process.env): ClusterRun {
  const read = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: run this suite with npm run e2e:k8s`);
    return value;
  };
  return {
    hostIp: read('CONEXUS_K8S_HOST_IP'),
    nodeIp: read('CONEXUS_K8S_NODE_IP'),
    tag: read('CONEXUS_IMAGE_TAG'),
    upgradeTag: read('CONEXUS_UPGRADE_TAG'),
    runDir: read('CONEXUS_K8S_RUN_DIR'),
  };
}

/** Runs a command of the cluster's toolchain (kubectl, helm) and resolves with its stdout; rejects with its stderr. */
export function run(command: string, args: readonly string[], timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** `kubectl … -o json`, parsed. */
export async function kubectlJson<T>(args: readonly string[]): Promise<T> {
  return JSON.parse(await run('kubectl', [...args, '-o', 'json'])) as T;
}

/** The parts of a Pod the tests read. */
export interface PodView {
  metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: {
    containers: { name: string; image: string }[];
    securityContext?: { runAsUser?: number; runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  };
  status: { phase: string; containerStatuses?: { name: string; ready: boolean; image: string }[] };
}

/** The pods of one Helm release. */
export async function releasePods(namespace: string, release: string): Promise<PodView[]> {
  const list = await kubectlJson<{ items: PodView[] }>([
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    `app.kubernetes.io/instance=${release}`,
  ]);
  return list.items;
}

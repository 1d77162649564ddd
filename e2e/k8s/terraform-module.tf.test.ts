import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueTestCertificates, ROOT, startOidcProvider, type OidcProvider } from '@conexus/testkit';
import { parse as parseYaml } from 'yaml';
import { closeGatewayClients, gatewayOverTls } from './support/gateway-over-tls.js';
import { clusterRun, kubectlJson, releasePods, run } from './support/kube.js';
import { changedPaths, pendingChanges, type TerraformPlan } from './support/terraform-plan.js';

const MODULE = join(ROOT, 'deploy/terraform/modules/conexus');
const EXAMPLE = join(ROOT, 'deploy/terraform/examples/existing-cluster');
const EXAMPLE_NAMESPACE = 'conexus-example';
const EXAMPLE_GATEWAY = 'conexus-gateway';
const EXAMPLE_GATEWAY_NAME = `${EXAMPLE_GATEWAY}.${EXAMPLE_NAMESPACE}.svc`;

const cluster = clusterRun();
// why: written by scripts/terraform/test.sh: providers from the filesystem mirror only.
const cliConfig = process.env.CONEXUS_TERRAFORM_CLI_CONFIG;
const dir = join(cluster.runDir, 'terraform');
const seconds = (from: number): string => ((Date.now() - from) / 1000).toFixed(1);
// why: the closing note reports the run from these lines.
const note = (line: string): void => void process.stderr.write(`[terraform] ${line}\n`);

let idp: OidcProvider;
let terraformEnv: NodeJS.ProcessEnv;
let exampleCa: Buffer;

interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in `cwd` with the run's CLI config (providers from the filesystem mirror only). */
function terraform(cwd: string, dataDir: string, args: readonly string[]): Promise<TerraformResult> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      args,
      { cwd, env: { ...terraformEnv, TF_DATA_DIR: dataDir }, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like terraform(), failing the test with terraform's output when it exits with another code than `expected`. */
async function terraformExpecting(
  cwd: string,
  dataDir: string,
  args: readonly string[],
  expected = 0,
): Promise<TerraformResult> {
  const result = await terraform(cwd, dataDir, args);
  if (result.code !== expected) {
    throw new Error(
      `terraform ${args.join(' ')} exited ${result.code}, expected ${expected}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

beforeAll(async () => {
  if (!cliConfig)
    throw new Error('CONEXUS_TERRAFORM_CLI_CONFIG is not set: run this suite with npm run test:terraform');
  mkdirSync(dir, { recursive: true });
  terraformEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  idp = await startOidcProvider({ host: cluster.hostIp });
  const moduleTls = issueTestCertificates(join(dir, 'module-tls'), {
    dnsNames: ['conexus-gateway.conexus-tf.svc'],
  });
  const exampleTls = issueTestCertificates(join(dir, 'example-tls'), { dnsNames: [EXAMPLE_GATEWAY_NAME] });
  exampleCa = readFileSync(exampleTls.caFile);
  const port = Number(new URL(idp.issuer).port);
  writeFileSync(
    join(dir, 'module-test.tfvars.json'),
    JSON.stringify({
      kubeconfig: join(cluster.runDir, 'kubeconfig'),
      image_tag: cluster.tag,
      oidc_issuer: idp.issuer,
      oidc_audience: idp.audience,
      oidc_port: port,
      host_cidr: `${cluster.hostIp}/32`,
      tls_certificate_file: moduleTls.certFile,
      tls_private_key_file: moduleTls.keyFile,
    }),
  );
  const small = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory: '1Gi' } });
  writeFileSync(
    join(dir, 'example.tfvars.json'),
    JSON.stringify({
      kubeconfig_path: join(cluster.runDir, 'kubeconfig'),
      namespace: EXAMPLE_NAMESPACE,
      image_tag: cluster.tag,
      image_pull_policy: 'Never',
      oidc: {
        issuer: idp.issuer,
        audience: idp.audience,
        allow_http: true,
        egress_cidrs: [`${cluster.hostIp}/32`],
        egress_ports: [port],
      },
      replicas: { gateway: 1, query: 1 },
      resources: {
        gateway: small('50m', '128Mi'),
        query: small('50m', '128Mi'),
        policy: small('50m', '128Mi'),
        indexer: small('100m', '256Mi'),
        nats: small('50m', '64Mi'),
      },
      nats: { replicas: 1, storage_size: '1Gi', delete_storage: true },
      indexer: { embedder: 'none', storage_size: '1Gi', delete_storage: true },
      gateway_tls_certificate_file: exampleTls.certFile,
      gateway_tls_private_key_file: exampleTls.keyFile,
    }),
  );
});

afterAll(async () => {
  closeGatewayClients();
  await idp?.stop();
});

describe('the Terraform module on a real cluster', () => {
  it('passes `terraform test`: install, read back, a planned change, validation, destroy', async () => {
    const dataDir = join(dir, 'module-data');
    await terraformExpecting(MODULE, dataDir, ['init', '-no-color']);
    const from = Date.now();
    const result = await terraform(MODULE, dataDir, [
      'test',
      '-no-color',
      `-var-file=${join(dir, 'module-test.tfvars.json')}`,
    ]);
    note(`terraform test (${seconds(from)} s, exit ${result.code}):\n${result.stdout}${result.stderr}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Success! \d+ passed, 0 failed\./);
  });

  it('applies the existing-cluster example, serves an OIDC-authenticated call, plans no drift, plans only the change asked for, destroys', async () => {
    const dataDir = join(dir, 'example-data');
    const varFile = `-var-file=${join(dir, 'example.tfvars.json')}`;
    await terraformExpecting(EXAMPLE, dataDir, ['init', '-no-color']);
    await terraformExpecting(EXAMPLE, dataDir, ['validate', '-no-color']);

    let from = Date.now();
    await terraformExpecting(EXAMPLE, dataDir, ['apply', '-auto-approve', '-no-color', varFile]);
    note(`example apply: ${seconds(from)} s`);
    const outputs = JSON.parse((await terraformExpecting(EXAMPLE, dataDir, ['output', '-json'])).stdout) as Record<
      string,
      { value: unknown }
    >;
    expect(outputs.gateway_url?.value).toBe(`https://${EXAMPLE_GATEWAY_NAME}:7420`);
    expect(outputs.release_status?.value).toBe('deployed');
    const pods = await releasePods(EXAMPLE_NAMESPACE, 'conexus');
    expect(pods.every((pod) => pod.status.containerStatuses?.every((status) => status.ready))).toBe(true);
    const namespace = await kubectlJson<{ metadata: { labels: Record<string, string> } }>([
      'get',
      'namespace',
      EXAMPLE_NAMESPACE,
    ]);
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');

    const service = await kubectlJson<{ spec: { clusterIP: string } }>([
      'get',
      'service',
      EXAMPLE_GATEWAY,
      '-n',
      EXAMPLE_NAMESPACE,
    ]);
    const token = await idp.accessToken({ subject: 'root', claims: { tenant: 'acme', roles: ['conexus-admin'] } });
    const admin = gatewayOverTls(`https://${service.spec.clusterIP}:7420`, exampleCa, EXAMPLE_GATEWAY_NAME, token);
    const answer = await admin.context.search({ query: 'anything', topK: 1 });
    expect(answer.results).toEqual([]);
    const anonymous = gatewayOverTls(
      `https://${service.spec.clusterIP}:7420`,
      exampleCa,
      EXAMPLE_GATEWAY_NAME,
      'not-a-token',
    );
    await expect(anonymous.context.search({ query: 'anything' })).rejects.toMatchObject({ code: 16 });

    // why: -detailed-exitcode is 0 for an empty plan and 2 for one with changes.
    await terraformExpecting(EXAMPLE, dataDir, ['plan', '-detailed-exitcode', '-no-color', varFile], 0);
    note('example plan after apply: no changes');

    const planFile = join(dir, 'more-query.tfplan');
    const moreQuery = join(dir, 'more-query.tfvars.json');
    writeFileSync(moreQuery, JSON.stringify({ replicas: { gateway: 1, query: 2 } }));
    await terraformExpecting(
      EXAMPLE,
      dataDir,
      ['plan', '-detailed-exitcode', '-no-color', varFile, `-var-file=${moreQuery}`, `-out=${planFile}`],
      2,
    );
    const plan = JSON.parse(
      (await terraformExpecting(EXAMPLE, dataDir, ['show', '-json', planFile])).stdout,
    ) as TerraformPlan;
    const changes = pendingChanges(plan);
    expect(changes.map((change) => [change.address, change.change.actions])).toEqual([
      ['module.conexus.helm_release.this', ['update']],
    ]);
    const values = (state: unknown) => parseYaml((state as { values: string[] }).values[0]!) as unknown;
    expect(changedPaths(values(changes[0]!.change.before), values(changes[0]!.change.after))).toEqual([
      'query.replicas',
    ]);
    note(
      'example plan with replicas.query 1 → 2: one change, module.conexus.helm_release.this update of query.replicas',
    );

    from = Date.now();
    await terraformExpecting(EXAMPLE, dataDir, ['destroy', '-auto-approve', '-no-color', varFile]);
    note(`example destroy: ${seconds(from)} s`);
    await expect(run('kubectl', ['get', 'namespace', EXAMPLE_NAMESPACE])).rejects.toThrow(/NotFound|not found/);
  });
});

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, expect, it } from '@jest/globals';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { credentials, Client as GrpcClient } from '@grpc/grpc-js';
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from '@conexus/api';
import { eventually, issueTestCertificates, type TestCertificates } from '@conexus/testkit';
import { useBareGateway } from './bare-gateway.fixture.js';

// why: laid out the way the kubelet mounts a kubernetes.io/tls Secret: tls.crt -> ..data/tls.crt, ..data -> ..<version>.
const secret = mkdtempSync(join(tmpdir(), 'conexus-gateway-tls-'));
const issue = (version: string): TestCertificates =>
  issueTestCertificates(join(secret, `..${version}`), { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
const v1 = issue('v1');
symlinkSync('..v1', join(secret, '..data'));
symlinkSync(join('..data', 'tls.crt'), join(secret, 'tls.crt'));
symlinkSync(join('..data', 'tls.key'), join(secret, 'tls.key'));
afterAll(() => rmSync(secret, { recursive: true, force: true }));

const gateway = useBareGateway({ tls: { certFile: join(secret, 'tls.crt'), keyFile: join(secret, 'tls.key') } });

/** Swaps `..data` to another version at once, as the kubelet does on a Secret update. */
function rotateTo(version: string): void {
  symlinkSync(`..${version}`, join(secret, '..data_tmp'));
  renameSync(join(secret, '..data_tmp'), join(secret, '..data'));
}

const caOf = (certificates: TestCertificates): string => readFileSync(certificates.caFile, 'utf8');
const serialOf = (certificates: TestCertificates): string =>
  new X509Certificate(readFileSync(certificates.certFile)).serialNumber;

/** The serial number of the certificate a new TLS connection is shown, and the protocol ALPN settled on. */
async function handshake(ca: string[], alpn: string[]): Promise<{ serial: string; protocol: string | false }> {
  const socket = connectTls({ host: '127.0.0.1', port: gateway.port, ca, ALPNProtocols: alpn });
  try {
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    return { serial: socket.getPeerCertificate().serialNumber, protocol: socket.alpnProtocol ?? false };
  } finally {
    socket.destroy();
  }
}

/** A gRPC health check with @grpc/grpc-js over TLS (HTTP/2 by ALPN). */
async function grpcHealth(ca: string): Promise<HealthCheckResponse> {
  const client = new GrpcClient(`localhost:${gateway.port}`, credentials.createSsl(Buffer.from(ca)));
  try {
    return await new Promise((resolve, reject) =>
      client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (request: HealthCheckRequest) => Buffer.from(toBinary(HealthCheckRequestSchema, request)),
        (bytes: Buffer) => fromBinary(HealthCheckResponseSchema, bytes),
        create(HealthCheckRequestSchema),
        (error, response) => (response ? resolve(response) : reject(error ?? new Error('no response'))),
      ),
    );
  } finally {
    client.close();
  }
}

it('speaks gRPC over HTTP/2 and Connect over HTTP/1.1 on its one TLS port', async () => {
  expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  // why: the bare gateway has no query replica behind it, so it answers NOT_SERVING: the call itself went through.
  expect((await grpcHealth(caOf(v1))).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
  const connect = createClient(
    Health,
    createConnectTransport({ baseUrl: gateway.url, httpVersion: '1.1', nodeOptions: { ca: caOf(v1) } }),
  );
  expect((await connect.check({})).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
  expect(await handshake([caOf(v1)], ['h2', 'http/1.1'])).toEqual({ serial: serialOf(v1), protocol: 'h2' });
  expect(await handshake([caOf(v1)], ['http/1.1'])).toEqual({ serial: serialOf(v1), protocol: 'http/1.1' });
  const cleartext = await fetch(`http://127.0.0.1:${gateway.port}/healthz`).then(
    (response) => response.status,
    () => 'refused',
  );
  expect(cleartext).toBe('refused');
});

it('serves a rotated certificate to new connections without a restart, and keeps it when the next pair is bad', async () => {
  const v2 = issue('v2');
  const both = [caOf(v1), caOf(v2)];
  rotateTo('v2');
  await eventually(
    async () => ((await handshake(both, ['h2'])).serial === serialOf(v2) ? true : undefined),
    15_000,
    'the rotated certificate',
  );
  expect((await grpcHealth(caOf(v2))).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);

  // why: a certificate with another pair's key would fail every handshake if it were taken.
  const v3 = issue('v3');
  renameSync(v2.keyFile, v3.keyFile);
  rotateTo('v3');
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect((await handshake([...both, caOf(v3)], ['h2'])).serial).toBe(serialOf(v2));

  const v4 = issue('v4');
  rotateTo('v4');
  await eventually(
    async () => ((await handshake([caOf(v4)], ['h2'])).serial === serialOf(v4) ? true : undefined),
    15_000,
    'the next good certificate after a refused one',
  );
});

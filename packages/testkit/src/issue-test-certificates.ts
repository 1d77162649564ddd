import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The names a test server certificate is valid for. */
export interface CertificateSubject {
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

/** PEM files of a one-day test CA and a server certificate it signed. */
export interface TestCertificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Issues, with the openssl CLI, a fresh test CA and a P-256 server certificate for `subject` into `dir`. */
export function issueTestCertificates(dir: string, subject: CertificateSubject): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=conexus-test-ca',
  );
  openssl('req', ...newKey, '-keyout', file('tls.key'), '-out', file('tls.csr'), '-subj', '/CN=conexus-test-server');
  const names = [
    ...(subject.dnsNames ?? []).map((name) => `DNS:${name}`),
    ...(subject.ipAddresses ?? []).map((address) => `IP:${address}`),
  ];
  writeFileSync(file('tls.ext'), `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    file('tls.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('tls.crt'),
    '-days',
    '1',
    '-extfile',
    file('tls.ext'),
  );
  return { caFile: file('ca.crt'), certFile: file('tls.crt'), keyFile: file('tls.key') };
}

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConexusError } from '@conexus/kernel';

/** PEM files of a server certificate (its chain may follow it) and its private key. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** A checked certificate and key, with what identifies the certificate in logs. */
export interface TlsPair {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly serial: string;
  readonly fingerprint256: string;
  readonly validTo: string;
}

/** Reads a certificate and its key and checks that they belong together; fails `invalid_argument` otherwise. */
export function readTlsPair(files: TlsFiles): TlsPair {
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = readFileSync(files.certFile);
    key = readFileSync(files.keyFile);
  } catch (error) {
    throw new ConexusError('invalid_argument', `cannot read the TLS certificate or key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return checkTlsPair(cert, key);
}

/** Parses a PEM certificate and key, failing `invalid_argument` when either is malformed or they do not match. */
export function checkTlsPair(cert: Buffer, key: Buffer): TlsPair {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
    // why: OpenSSL quietly drops a key that does not match the certificate, and every handshake would then fail.
    if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not match the certificate');
  } catch (error) {
    throw new ConexusError('invalid_argument', `bad TLS certificate or key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    cert,
    key,
    serial: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    validTo: certificate.validTo,
  };
}

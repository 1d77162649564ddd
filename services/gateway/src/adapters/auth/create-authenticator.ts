import { fromBinary, toBinary, create } from '@bufbuild/protobuf';
import { LOCAL_USER, type Principal } from '@conexus/access';
import { AuthenticateKeyRequestSchema, AuthenticateKeyResponseSchema } from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { policySubject } from '@conexus/wire';
import type { TokenVerifier } from '../oidc/create-token-verifier.js';

/** Turns a request's Authorization header into a principal, or fails `unauthenticated`. */
export type Authenticate = (authorization: string | null | undefined) => Promise<Principal>;

const KEY_PREFIX = 'cxk_';
const KEY_TIMEOUT_MS = 2_000;

/** No authentication: every caller is the local user. Only the embedded server on loopback and explicit development setups use it. */
export const AUTHENTICATE_LOCAL_USER: Authenticate = async () => LOCAL_USER;

/** Bearer authentication: OIDC access tokens verified locally, API keys (`cxk_…`) checked by the policy service. */
export function createAuthenticator(deps: { verifier: TokenVerifier; bus: Bus }): Authenticate {
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match)
      throw new ConexusError(
        'unauthenticated',
        authorization ? 'the Authorization header must be "Bearer <token>"' : 'a bearer token is required',
      );
    const credential = match[1]!;
    if (!credential.startsWith(KEY_PREFIX)) return deps.verifier.verify(credential);
    const request = toBinary(AuthenticateKeyRequestSchema, create(AuthenticateKeyRequestSchema, { key: credential }));
    const reply = await deps.bus.request(policySubject('key'), request, { timeoutMs: KEY_TIMEOUT_MS, headers: {} });
    const principal = fromBinary(AuthenticateKeyResponseSchema, reply.data).principal;
    if (!principal) throw new ConexusError('unauthenticated', 'unknown or revoked API key');
    return {
      issuer: principal.issuer,
      subject: principal.subject,
      tenant: principal.tenant,
      groups: principal.groups,
      roles: principal.roles,
    };
  };
}

import { create } from '@bufbuild/protobuf';
import { ScopeSchema } from '@conexus/api';
import { ConexusError } from '@conexus/kernel';
import { LOCAL_USER } from '@conexus/access';
import type { ScopePort } from '../ports/scope-port.js';

/** The scope of the embedded server on loopback: its single local user reads everything; nobody else reads anything. */
export const SINGLE_USER_SCOPE: ScopePort = {
  async scopeFor(principal) {
    if (principal.issuer !== LOCAL_USER.issuer || principal.subject !== LOCAL_USER.subject) {
      throw new ConexusError(
        'failed_precondition',
        'this server has no access control configured and serves only its local user',
      );
    }
    return create(ScopeSchema, { everything: true });
  },
};

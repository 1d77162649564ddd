import { ConexusError } from '@conexus/kernel';

/** Who is asking: keyed on issuer and subject, never on email. */
export interface Principal {
  readonly issuer: string;
  readonly subject: string;
  readonly tenant: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

/** The one user of an embedded server bound to loopback. */
export const LOCAL_USER: Principal = {
  issuer: 'conexus:local',
  subject: 'local',
  tenant: 'local',
  groups: [],
  roles: [],
};

/** Reads a principal from its header form; a missing or malformed one is refused (`invalid_argument`). */
export function parsePrincipal(header: string | undefined): Principal {
  try {
    const value = JSON.parse(header ?? '') as Partial<Principal> | null;
    if (typeof value?.issuer === 'string' && typeof value.subject === 'string' && value.issuer && value.subject) {
      return {
        issuer: value.issuer,
        subject: value.subject,
        tenant: typeof value.tenant === 'string' ? value.tenant : '',
        groups: strings(value.groups),
        roles: strings(value.roles),
      };
    }
  } catch {
    // why: a header that is not JSON is refused like one without an issuer and subject.
  }
  throw new ConexusError('invalid_argument', 'the request carries no principal');
}

/** The header form of a principal. */
export function formatPrincipal(principal: Principal): string {
  return JSON.stringify({
    issuer: principal.issuer,
    subject: principal.subject,
    tenant: principal.tenant,
    groups: principal.groups,
    roles: principal.roles,
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

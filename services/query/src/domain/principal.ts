/** Who is asking: keyed on issuer and subject, never on email. */
export interface Principal {
  readonly issuer: string;
  readonly subject: string;
  readonly tenant: string;
  readonly groups: readonly string[];
}

/** The one user of an embedded server bound to loopback. */
export const LOCAL_USER: Principal = { issuer: 'conexus:local', subject: 'local', tenant: 'local', groups: [] };

/** Reads a principal from its header form; anything malformed is refused. */
export function parsePrincipal(header: string | undefined): Principal | null {
  if (!header) return null;
  try {
    const value = JSON.parse(header) as Partial<Principal>;
    if (typeof value.issuer !== 'string' || typeof value.subject !== 'string' || !value.issuer || !value.subject) return null;
    const groups = Array.isArray(value.groups) ? value.groups.filter((group): group is string => typeof group === 'string') : [];
    return { issuer: value.issuer, subject: value.subject, tenant: typeof value.tenant === 'string' ? value.tenant : '', groups };
  } catch {
    return null;
  }
}

/** The header form of a principal. */
export function formatPrincipal(principal: Principal): string {
  return JSON.stringify(principal);
}

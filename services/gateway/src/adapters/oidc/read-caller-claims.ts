import { ConexusError } from '@conexus/kernel';

/** Which claims carry the caller's tenant, groups and roles, and the tenant to assume when none is carried. */
export interface CallerClaimNames {
  readonly tenant: string;
  readonly groups: string;
  readonly roles: string;
  readonly defaultTenant?: string;
}

/** The authorization facts a verified token states about its caller. */
export interface CallerClaims {
  readonly tenant: string;
  readonly groups: string[];
  readonly roles: string[];
}

/** Reads tenant, groups and roles from verified claims; a malformed or missing (without default) value is rejected. */
export function readCallerClaims(claims: Record<string, unknown>, names: CallerClaimNames): CallerClaims {
  const tenant = claimAt(claims, names.tenant) ?? names.defaultTenant;
  if (tenant === undefined) throw new ConexusError('unauthenticated', 'token carries no tenant');
  if (typeof tenant !== 'string' || tenant === '') throw new ConexusError('unauthenticated', 'malformed tenant claim');
  return { tenant, groups: readList(claims, names.groups, 'groups'), roles: readList(claims, names.roles, 'roles') };
}

/**
 * The claim named `name`, or else the one at its dotted path (`realm_access.roles`).
 * why: the literal name wins so that namespaced claims such as `https://example.com/roles` still resolve.
 */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function readList(claims: Record<string, unknown>, name: string, what: string): string[] {
  const value = claimAt(claims, name);
  if (value === undefined) return [];
  // why: some providers send a lone group or role as a plain string rather than a one-element array.
  const list: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [undefined];
  if (!list.every((item): item is string => typeof item === 'string' && item !== '')) {
    throw new ConexusError('unauthenticated', `malformed ${what} claim`);
  }
  return [...new Set(list)];
}

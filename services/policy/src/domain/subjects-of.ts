import type { Principal } from '@conexus/access';
import { API_KEY_ISSUER } from './api-key.js';

/** The subjects a principal acts as directly: itself, its groups and the roles its token or key carries. */
export function subjectsOf(principal: Principal): string[] {
  const self = principal.issuer === API_KEY_ISSUER ? [`key:${principal.subject}`] : [];
  return [
    `user:${principal.issuer}#${principal.subject}`,
    ...self,
    ...principal.groups.map((group) => `group:${group}`),
    ...principal.roles.map((role) => `role:${role}`),
  ];
}

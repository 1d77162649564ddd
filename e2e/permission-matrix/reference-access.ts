// An independent reference for Conexus's read-access rules, written from the specification only.
// why: it judges the real policy service and shard-side filtering, so it shares no code with them and
// trades speed for being obviously correct.

/** Who is asking: the verified claims of one token. */
export interface ReferencePrincipal {
  readonly issuer: string;
  readonly subject: string;
  readonly tenant: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

/** A member (user:…, group:…, role:… or key:…) holds a role (`role:<name>`) within one tenant. */
export interface ReferenceMembership {
  readonly tenant: string;
  readonly member: string;
  readonly role: string;
}

/** Whether a rule grants or forbids reading. */
export type ReferenceEffect = 'allow' | 'deny';

/** A subject may (allow) or may not (deny) read the paths matching `path` in the repositories matching `repo`. */
export interface ReferenceRule {
  readonly tenant: string;
  readonly subject: string;
  readonly repo: string;
  readonly path: string;
  readonly effect: ReferenceEffect;
}

/** The subject strings a principal is directly: its user, its groups and its roles. */
function directSubjects(principal: ReferencePrincipal): string[] {
  return [
    `user:${principal.issuer}#${principal.subject}`,
    ...principal.groups.map((group) => `group:${group}`),
    ...principal.roles.map((role) => `role:${role}`),
  ];
}

/** The direct subjects plus every role reachable from them through the memberships of the principal's tenant. */
export function effectiveSubjects(
  principal: ReferencePrincipal,
  memberships: readonly ReferenceMembership[],
): Set<string> {
  const held = new Set(directSubjects(principal));
  // why: repeat until nothing new is added, so inheritance is transitive and cycles terminate.
  let grew = true;
  while (grew) {
    grew = false;
    for (const membership of memberships) {
      if (membership.tenant !== principal.tenant) continue;
      if (held.has(membership.member) && !held.has(membership.role)) {
        held.add(membership.role);
        grew = true;
      }
    }
  }
  return held;
}

/** Whether a path is canonical: non-empty segments joined by `/`, none `.` or `..`, no backslash, no NUL. */
export function isCanonicalPath(path: string): boolean {
  if (path.includes('\\') || path.includes('\0')) return false;
  // why: an empty string, a leading or trailing `/` and `//` all show up as an empty segment.
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Whether the whole of `text` matches `glob` (`**`, `**\/`, `*`, `?`; every other character literal). */
export function referenceGlob(glob: string, text: string): boolean {
  return matchFrom([...glob], 0, [...text], 0);
}

function matchFrom(glob: string[], g: number, text: string[], t: number): boolean {
  if (g === glob.length) return t === text.length;
  const isDoubleStar = glob[g] === '*' && glob[g + 1] === '*';
  if (isDoubleStar) {
    const startsSegment = g === 0 || glob[g - 1] === '/';
    if (startsSegment && glob[g + 2] === '/') {
      // `**/` as a whole segment: zero leading segments, or everything up to and including some later `/`.
      if (matchFrom(glob, g + 3, text, t)) return true;
      for (let end = t; end < text.length; end++) {
        if (text[end] === '/' && matchFrom(glob, g + 3, text, end + 1)) return true;
      }
      return false;
    }
    // Any other `**`: any sequence of characters, `/` included, possibly empty.
    for (let end = t; end <= text.length; end++) {
      if (matchFrom(glob, g + 2, text, end)) return true;
    }
    return false;
  }
  if (glob[g] === '*') {
    // Any sequence of characters without `/`, possibly empty.
    for (let end = t; end <= text.length; end++) {
      if (matchFrom(glob, g + 1, text, end)) return true;
      if (end < text.length && text[end] === '/') return false;
    }
    return false;
  }
  if (t === text.length) return false;
  if (glob[g] === '?') return text[t] !== '/' && matchFrom(glob, g + 1, text, t + 1);
  return glob[g] === text[t] && matchFrom(glob, g + 1, text, t + 1);
}

/** Whether the principal may read `path` in `repo`: canonical path, an applicable allow, and no applicable deny. */
export function referenceReadable(
  principal: ReferencePrincipal,
  memberships: readonly ReferenceMembership[],
  rules: readonly ReferenceRule[],
  repo: string,
  path: string,
): boolean {
  if (!isCanonicalPath(path)) return false;
  const held = effectiveSubjects(principal, memberships);
  const applicable = rules.filter(
    (rule) =>
      rule.tenant === principal.tenant &&
      held.has(rule.subject) &&
      referenceGlob(rule.repo, repo) &&
      referenceGlob(rule.path, path),
  );
  if (applicable.some((rule) => rule.effect === 'deny')) return false;
  return applicable.some((rule) => rule.effect === 'allow');
}

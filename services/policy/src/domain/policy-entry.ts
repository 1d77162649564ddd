import { createHash } from 'node:crypto';
import { ConexusError } from '@conexus/kernel';

/** A rule: a subject may (allow) or may not (deny) read the paths that globs match. */
export interface Rule {
  readonly kind: 'rule';
  readonly tenant: string;
  readonly subject: string;
  readonly repo: string;
  readonly path: string;
  readonly effect: 'allow' | 'deny';
}

/** A member (user, group, role or key) holds a role in a tenant. */
export interface Membership {
  readonly kind: 'member';
  readonly tenant: string;
  readonly member: string;
  readonly role: string;
}

/** A tenant owns a repository name: only its rules can grant it. */
export interface RepoOwner {
  readonly kind: 'owner';
  readonly tenant: string;
  readonly repo: string;
}

/** A service-account key: only the hash of its secret is kept. */
export interface ApiKeyRecord {
  readonly kind: 'key';
  readonly tenant: string;
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly secretHash: string;
  readonly createdAt: string;
}

/** Everything the policy store holds. */
export type PolicyEntry = Rule | Membership | RepoOwner | ApiKeyRecord;

const SUBJECT = /^(user:[^#\s]+#\S+|group:\S+|role:\S+|key:[\w-]+)$/;
const ROLE = /^role:\S+$/;
const GLOB = /^[^\s\\\0]{1,300}$/;

/** The store key of an entry: the same grant always gets the same key, so granting is idempotent. */
export function entryKey(entry: PolicyEntry): string {
  switch (entry.kind) {
    case 'rule':
      return `rule.${digest([entry.tenant, entry.subject, entry.repo, entry.path, entry.effect])}`;
    case 'member':
      return `member.${digest([entry.tenant, entry.member, entry.role])}`;
    case 'owner':
      return `owner.${digest([entry.repo])}`;
    case 'key':
      return `key.${entry.id}`;
  }
}

/** Refuses malformed rules and memberships with one message naming the problem. */
export function checkEntry(entry: Rule | Membership): void {
  if (!entry.tenant) throw new ConexusError('invalid_argument', 'a tenant is required');
  if (entry.kind === 'rule') {
    if (!SUBJECT.test(entry.subject))
      throw new ConexusError(
        'invalid_argument',
        `invalid subject "${entry.subject.slice(0, 100)}": use user:<issuer>#<subject>, group:<name>, role:<name> or key:<id>`,
      );
    if (!GLOB.test(entry.repo)) throw new ConexusError('invalid_argument', 'invalid repository glob');
    if (!GLOB.test(entry.path)) throw new ConexusError('invalid_argument', 'invalid path glob');
    if (entry.effect !== 'allow' && entry.effect !== 'deny')
      throw new ConexusError('invalid_argument', 'the effect must be allow or deny');
    return;
  }
  if (!SUBJECT.test(entry.member))
    throw new ConexusError('invalid_argument', `invalid member "${entry.member.slice(0, 100)}"`);
  if (!ROLE.test(entry.role))
    throw new ConexusError('invalid_argument', `invalid role "${entry.role.slice(0, 100)}": use role:<name>`);
}

function digest(fields: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 24);
}

import type { Principal, ReadScope } from '@conexus/access';
import { ConexusError } from '@conexus/kernel';
import { API_KEY_ISSUER, mintApiKey, parseApiKey, secretMatches } from '../domain/api-key.js';
import type { Decider, Decision } from '../domain/decider.js';
import {
  checkEntry,
  entryKey,
  type ApiKeyRecord,
  type Membership,
  type PolicyEntry,
  type RepoOwner,
  type Rule,
} from '../domain/policy-entry.js';
import type { PolicyStore } from '../ports/policy-store.js';

/** What a policy change did, for the audit log. */
export interface PolicyChange {
  readonly action: 'grant' | 'revoke' | 'create_key' | 'revoke_key' | 'claim_repo';
  readonly tenant: string;
  readonly by: Principal;
  readonly detail: Record<string, string>;
}

/** The policy use cases: decisions and scopes for the query path, and the admin operations. */
export interface PolicyApp {
  scopeFor(principal: Principal): Promise<ReadScope>;
  authenticateKey(presented: string): Promise<Principal>;
  /** Lets a tenant's admin manage a repository name, claiming it for the tenant when it is free. */
  claimRepo(caller: Principal, repo: string): Promise<void>;
  /** Whether the caller is an admin of the tenant that owns a repository. */
  manages(caller: Principal, repo: string): Promise<boolean>;
  grant(caller: Principal, entry: Omit<Rule, 'tenant'> | Omit<Membership, 'tenant'>): Promise<string>;
  revoke(caller: Principal, id: string): Promise<boolean>;
  list(
    caller: Principal,
  ): Promise<{ rules: (Rule & { id: string })[]; memberships: (Membership & { id: string })[]; repos: string[] }>;
  explain(caller: Principal, subject: Principal, repo: string, path: string): Promise<Decision>;
  createKey(
    caller: Principal,
    name: string,
    roles: readonly string[],
  ): Promise<{ record: ApiKeyRecord; secret: string }>;
  revokeKey(caller: Principal, id: string): Promise<boolean>;
  listKeys(caller: Principal): Promise<ApiKeyRecord[]>;
  /** The current decider: rebuilt whenever any replica changes the policy. */
  decider(): Decider;
  close(): Promise<void>;
}

/** How the policy app is wired. */
export interface PolicyAppDeps {
  readonly store: PolicyStore;
  readonly buildDecider: (entries: readonly PolicyEntry[]) => Promise<Decider>;
  /** The role (without `role:`) that may change a tenant's policy. */
  readonly adminRole: string;
  readonly onChange?: (change: PolicyChange) => Promise<void> | void;
  /** Called after each rebuild of the decider, with the number of entries it holds. */
  readonly onReload?: (entries: number) => void;
  readonly onReloadFailed?: (error: unknown) => void;
  readonly now?: () => Date;
}

/** Starts the policy app on a store: builds the decider now and again after every change. */
export async function createPolicyApp(deps: PolicyAppDeps): Promise<PolicyApp> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  let current = await deps.buildDecider([...store.entries().values()]);
  let building: Promise<void> = Promise.resolve();
  let version = 0;
  const rebuild = (): Promise<void> => {
    const wanted = (version += 1);
    // why: rebuilds run one at a time and a newer change supersedes an older one, so the last write always wins.
    building = building.then(async () => {
      if (wanted !== version) return;
      try {
        current = await deps.buildDecider([...store.entries().values()]);
        deps.onReload?.(store.entries().size);
      } catch (error) {
        // why: a policy that cannot be built leaves the last good one deciding; the next change tries again.
        deps.onReloadFailed?.(error);
      }
    });
    return building;
  };
  store.onChange(() => void rebuild());
  // why: a store tells its listeners of a write before the write resolves, so the rebuild for it is already queued.
  const written = (): Promise<void> => building;

  const requireAdmin = async (caller: Principal): Promise<void> => {
    if (!caller.tenant) throw new ConexusError('permission_denied', 'the caller has no tenant');
    const subjects = await current.subjectsFor(caller);
    if (!subjects.includes(`role:${deps.adminRole}`))
      throw new ConexusError('permission_denied', `changing the policy needs the ${deps.adminRole} role`);
  };
  const ownEntry = (caller: Principal, id: string): Rule | Membership | undefined => {
    const entry = store.entries().get(id);
    return entry && entry.tenant === caller.tenant && (entry.kind === 'rule' || entry.kind === 'member')
      ? entry
      : undefined;
  };
  const record = async (change: PolicyChange): Promise<void> => {
    await deps.onChange?.(change);
  };

  return {
    scopeFor: (principal) => current.scopeFor(principal),
    async authenticateKey(presented) {
      const parsed = parseApiKey(presented);
      const entry = parsed ? store.entries().get(`key.${parsed.id}`) : undefined;
      if (!parsed || entry?.kind !== 'key' || !secretMatches(parsed.secretPart, entry.secretHash))
        throw new ConexusError('unauthenticated', 'unknown or revoked API key');
      return { issuer: API_KEY_ISSUER, subject: entry.id, tenant: entry.tenant, groups: [], roles: entry.roles };
    },
    async claimRepo(caller, repo) {
      await requireAdmin(caller);
      const tenant = caller.tenant;
      const owner: RepoOwner = { kind: 'owner', tenant, repo };
      const existing = await store.create(entryKey(owner), owner);
      if (existing && existing.tenant !== tenant)
        throw new ConexusError('failed_precondition', `the repository name "${repo}" is taken`);
      if (!existing) {
        await written();
        await record({ action: 'claim_repo', tenant, by: caller, detail: { repo } });
      }
    },
    async manages(caller, repo) {
      return (
        current.ownerOf(repo) === caller.tenant &&
        (await current.subjectsFor(caller)).includes(`role:${deps.adminRole}`)
      );
    },
    async grant(caller, grant) {
      await requireAdmin(caller);
      const entry = { ...grant, tenant: caller.tenant } as Rule | Membership;
      checkEntry(entry);
      const id = entryKey(entry);
      await store.put(id, entry);
      await written();
      await record({ action: 'grant', tenant: caller.tenant, by: caller, detail: { id, ...stringFields(entry) } });
      return id;
    },
    async revoke(caller, id) {
      await requireAdmin(caller);
      const entry = ownEntry(caller, id);
      if (!entry) return false;
      const removed = await store.delete(id);
      await written();
      if (removed)
        await record({ action: 'revoke', tenant: caller.tenant, by: caller, detail: { id, ...stringFields(entry) } });
      return removed;
    },
    async list(caller) {
      await requireAdmin(caller);
      const mine = [...store.entries()].filter(([, entry]) => entry.tenant === caller.tenant);
      return {
        rules: mine.flatMap(([id, entry]) => (entry.kind === 'rule' ? [{ ...entry, id }] : [])),
        memberships: mine.flatMap(([id, entry]) => (entry.kind === 'member' ? [{ ...entry, id }] : [])),
        repos: mine.flatMap(([, entry]) => (entry.kind === 'owner' ? [entry.repo] : [])).sort(),
      };
    },
    async explain(caller, subject, repo, path) {
      await requireAdmin(caller);
      return current.decide({ ...subject, tenant: caller.tenant }, repo, path);
    },
    async createKey(caller, name, roles) {
      await requireAdmin(caller);
      if (!/^[\w .@-]{1,100}$/.test(name))
        throw new ConexusError('invalid_argument', 'a key name has 1–100 letters, digits, spaces or . _ - @');
      const minted = mintApiKey();
      const key: ApiKeyRecord = {
        kind: 'key',
        tenant: caller.tenant,
        id: minted.id,
        name,
        roles: [...roles],
        secretHash: minted.secretHash,
        createdAt: now().toISOString(),
      };
      await store.put(entryKey(key), key);
      await written();
      await record({
        action: 'create_key',
        tenant: caller.tenant,
        by: caller,
        detail: { id: key.id, name, roles: roles.join(',') },
      });
      return { record: key, secret: minted.secret };
    },
    async revokeKey(caller, id) {
      await requireAdmin(caller);
      const entry = store.entries().get(`key.${id}`);
      if (entry?.kind !== 'key' || entry.tenant !== caller.tenant) return false;
      const removed = await store.delete(`key.${id}`);
      await written();
      if (removed) await record({ action: 'revoke_key', tenant: caller.tenant, by: caller, detail: { id } });
      return removed;
    },
    async listKeys(caller) {
      await requireAdmin(caller);
      return [...store.entries().values()].filter(
        (entry): entry is ApiKeyRecord => entry.kind === 'key' && entry.tenant === caller.tenant,
      );
    },
    decider: () => current,
    async close() {
      await building;
    },
  };
}

function stringFields(entry: Rule | Membership): Record<string, string> {
  return entry.kind === 'rule'
    ? { subject: entry.subject, repo: entry.repo, path: entry.path, effect: entry.effect }
    : { member: entry.member, role: entry.role };
}

import { create } from '@bufbuild/protobuf';
import type { Principal, ReadScope } from '@conexus/access';
import {
  ApiKeySchema,
  CallerPrincipalSchema,
  Effect,
  MembershipSchema,
  RuleSchema,
  ScopeSchema,
  type ApiKey,
  type CallerPrincipal,
  type Membership as MembershipMessage,
  type Rule as RuleMessage,
  type Scope,
} from '@conexus/api';
import { ConexusError } from '@conexus/kernel';
import type { ApiKeyRecord, Membership, Rule } from '../../domain/policy-entry.js';

/** A read scope as the shards receive it. */
export function toScopeMessage(scope: ReadScope): Scope {
  return create(ScopeSchema, {
    everything: scope.everything,
    repos: scope.repos.map((rule) => ({
      repo: rule.repo,
      allowPaths: [...rule.allowPaths],
      denyPaths: [...rule.denyPaths],
    })),
    denies: scope.denies.map((rule) => ({ repo: rule.repo, path: rule.path })),
  });
}

/** A rule for the admin API. */
export function toRuleMessage(rule: Rule & { id?: string }): RuleMessage {
  return create(RuleSchema, {
    id: rule.id ?? '',
    subject: rule.subject,
    repo: rule.repo,
    path: rule.path,
    tenant: rule.tenant,
    effect: rule.effect === 'allow' ? Effect.ALLOW : Effect.DENY,
  });
}

/** A membership for the admin API. */
export function toMembershipMessage(membership: Membership & { id: string }): MembershipMessage {
  return create(MembershipSchema, {
    id: membership.id,
    member: membership.member,
    role: membership.role,
    tenant: membership.tenant,
  });
}

/** A key's description for the admin API, without its hash. */
export function toApiKeyMessage(key: ApiKeyRecord): ApiKey {
  return create(ApiKeySchema, {
    id: key.id,
    name: key.name,
    roles: [...key.roles],
    tenant: key.tenant,
    createdAt: key.createdAt,
  });
}

/** A principal as it travels inside the cluster. */
export function toPrincipalMessage(principal: Principal): CallerPrincipal {
  return create(CallerPrincipalSchema, { ...principal, groups: [...principal.groups], roles: [...principal.roles] });
}

/** The effect of an admin request's rule; an unspecified effect is refused. */
export function fromEffect(effect: Effect): 'allow' | 'deny' {
  if (effect === Effect.ALLOW) return 'allow';
  if (effect === Effect.DENY) return 'deny';
  throw new ConexusError('invalid_argument', 'the effect must be allow or deny');
}

import { create, fromBinary, toBinary, type MessageShape } from '@bufbuild/protobuf';
import { parsePrincipal, type Principal } from '@conexus/access';
import {
  AuthenticateKeyRequestSchema,
  AuthenticateKeyResponseSchema,
  ClaimRepoRequestSchema,
  ClaimRepoResponseSchema,
  PolicyService as PolicyServiceDescriptor,
  ScopeSchema,
} from '@conexus/api';
import type { Bus, BusMessage, Subscription } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, policySubject, type PolicyAdminMethod, type PolicyOperation } from '@conexus/wire';
import type { Logger } from '@conexus/telemetry';
import {
  fromEffect,
  toApiKeyMessage,
  toMembershipMessage,
  toPrincipalMessage,
  toRuleMessage,
  toScopeMessage,
} from './adapters/proto/policy-messages.js';
import type { PolicyApp } from './app/create-policy-app.js';

type AdminMethod<M extends PolicyAdminMethod> = (typeof PolicyServiceDescriptor)['method'][M];

/** A running policy replica. */
export interface PolicyService {
  stop(): Promise<void>;
}

/** Answers scope, key, claim and admin requests on the bus; replicas share one group and one store. */
export function startPolicyService(options: { bus: Bus; app: PolicyApp; log: Logger }): PolicyService {
  const { bus, app } = options;
  const serve = (operation: PolicyOperation, handle: (message: BusMessage) => Promise<Uint8Array>): Subscription =>
    bus.respond(policySubject(operation), handle, 'policy');
  // why: the method's name, subject and message types all come from the PolicyService descriptor, as on the gateway side.
  const admin = <M extends PolicyAdminMethod>(
    method: M,
    handle: (
      caller: Principal,
      request: MessageShape<AdminMethod<M>['input']>,
    ) => Promise<Omit<MessageShape<AdminMethod<M>['output']>, '$typeName'>>,
  ): Subscription =>
    serve(`admin.${method}`, async (message) => {
      const { input, output }: AdminMethod<M> = PolicyServiceDescriptor.method[method];
      const caller = callerOf(message);
      // why: TypeScript cannot correlate a generic method's input with its descriptor entry; the descriptor guarantees it.
      const request = fromBinary(input, message.data) as MessageShape<AdminMethod<M>['input']>;
      return toBinary(output, create(output, (await handle(caller, request)) as never));
    });
  const subscriptions = [
    serve('scope', async (message) => toBinary(ScopeSchema, toScopeMessage(await app.scopeFor(callerOf(message))))),
    serve('key', async (message) => {
      const principal = await app.authenticateKey(fromBinary(AuthenticateKeyRequestSchema, message.data).key);
      return toBinary(
        AuthenticateKeyResponseSchema,
        create(AuthenticateKeyResponseSchema, { principal: toPrincipalMessage(principal) }),
      );
    }),
    serve('claim', async (message) => {
      const request = fromBinary(ClaimRepoRequestSchema, message.data);
      await app.claimRepo(callerOf(message), request.repo);
      return toBinary(ClaimRepoResponseSchema, create(ClaimRepoResponseSchema));
    }),
    serve('manages', async (message) => {
      const request = fromBinary(ClaimRepoRequestSchema, message.data);
      if (!(await app.manages(callerOf(message), request.repo)))
        throw new ConexusError('not_found', `unknown repository "${request.repo}"`);
      return toBinary(ClaimRepoResponseSchema, create(ClaimRepoResponseSchema));
    }),
    admin('grant', async (caller, request) => {
      const grant = request.grant;
      if (grant.case === 'rule') {
        const { subject, repo, path, effect } = grant.value;
        return { id: await app.grant(caller, { kind: 'rule', subject, repo, path, effect: fromEffect(effect) }) };
      }
      if (grant.case === 'membership')
        return { id: await app.grant(caller, { kind: 'member', member: grant.value.member, role: grant.value.role }) };
      throw new ConexusError('invalid_argument', 'grant a rule or a membership');
    }),
    admin('revoke', async (caller, request) => ({ revoked: await app.revoke(caller, request.id) })),
    admin('listPolicies', async (caller) => {
      const listed = await app.list(caller);
      return {
        rules: listed.rules.map(toRuleMessage),
        memberships: listed.memberships.map(toMembershipMessage),
        repos: listed.repos,
      };
    }),
    admin('explain', async (caller, request) => {
      if (!request.issuer || !request.subject || !request.repo || !request.path)
        throw new ConexusError('invalid_argument', 'issuer, subject, repo and path are required');
      const subject: Principal = {
        issuer: request.issuer,
        subject: request.subject,
        tenant: caller.tenant,
        groups: request.groups,
        roles: request.roles,
      };
      const decision = await app.explain(caller, subject, request.repo, request.path);
      return {
        allowed: decision.allowed,
        reason: decision.reason,
        matched: decision.matched.map((rule) => toRuleMessage(rule)),
        subjects: [...decision.subjects],
      };
    }),
    admin('createApiKey', async (caller, request) => {
      const { record, secret } = await app.createKey(caller, request.name, request.roles);
      options.log.info('api key created', { tenant: record.tenant, id: record.id });
      return { apiKey: toApiKeyMessage(record), secret };
    }),
    admin('revokeApiKey', async (caller, request) => ({ revoked: await app.revokeKey(caller, request.id) })),
    admin('listApiKeys', async (caller) => ({ apiKeys: (await app.listKeys(caller)).map(toApiKeyMessage) })),
  ];
  return {
    async stop() {
      for (const subscription of subscriptions) await subscription.unsubscribe();
    },
  };
}

function callerOf(message: BusMessage): Principal {
  return parsePrincipal(message.headers[HEADERS.principal]);
}

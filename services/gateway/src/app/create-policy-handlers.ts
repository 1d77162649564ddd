import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { formatPrincipal, type Principal } from '@conexus/access';
import type { AuditOutcome } from '@conexus/audit';
import {
  CreateApiKeyRequestSchema,
  CreateApiKeyResponseSchema,
  ExplainRequestSchema,
  ExplainResponseSchema,
  GrantRequestSchema,
  GrantResponseSchema,
  ListApiKeysRequestSchema,
  ListApiKeysResponseSchema,
  ListPoliciesRequestSchema,
  ListPoliciesResponseSchema,
  PolicyService,
  RevokeApiKeyRequestSchema,
  RevokeApiKeyResponseSchema,
  RevokeRequestSchema,
  RevokeResponseSchema,
} from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, policySubject } from '@conexus/sharding';

/** The PolicyService admin API: each call goes to a policy replica, which checks that the caller is an admin. */
export function createPolicyHandlers(deps: {
  bus: Bus;
  access: 'policy' | 'none';
  principalOf: (context: HandlerContext) => Promise<Principal>;
  timeoutMs: number;
  recordAdmin: (principal: Principal, method: string, outcome: AuditOutcome) => Promise<void>;
}): Partial<ServiceImpl<typeof PolicyService>> {
  const call = <I extends DescMessage, O extends DescMessage>(method: string, input: I, output: O) => async (request: MessageShape<I>, context: HandlerContext): Promise<MessageShape<O>> => {
    if (deps.access !== 'policy') throw new ConexusError('failed_precondition', 'access control is not configured on this server');
    const principal = await deps.principalOf(context);
    try {
      const reply = await deps.bus.request(policySubject(`admin.${method}`), toBinary(input, request), { timeoutMs: deps.timeoutMs, headers: { [HEADERS.principal]: formatPrincipal(principal) } });
      await deps.recordAdmin(principal, method, 'ok');
      return fromBinary(output, reply.data);
    } catch (error) {
      await deps.recordAdmin(principal, method, error instanceof ConexusError && error.code === 'permission_denied' ? 'denied' : 'error');
      throw error;
    }
  };
  return {
    grant: call('grant', GrantRequestSchema, GrantResponseSchema),
    revoke: call('revoke', RevokeRequestSchema, RevokeResponseSchema),
    listPolicies: call('list', ListPoliciesRequestSchema, ListPoliciesResponseSchema),
    explain: call('explain', ExplainRequestSchema, ExplainResponseSchema),
    createApiKey: call('create-key', CreateApiKeyRequestSchema, CreateApiKeyResponseSchema),
    revokeApiKey: call('revoke-key', RevokeApiKeyRequestSchema, RevokeApiKeyResponseSchema),
    listApiKeys: call('list-keys', ListApiKeysRequestSchema, ListApiKeysResponseSchema),
  };
}

import { fromBinary, toBinary, type MessageShape } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { formatPrincipal, type Principal } from '@conexus/access';
import type { AuditOutcome } from '@conexus/audit';
import { PolicyService } from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, policySubject, type PolicyAdminMethod } from '@conexus/wire';

type AdminMethod<M extends PolicyAdminMethod> = (typeof PolicyService)['method'][M];

/** The PolicyService admin API: each call goes to a policy replica, which checks that the caller is an admin. */
export function createPolicyHandlers(deps: {
  bus: Bus;
  access: 'policy' | 'none';
  principalOf: (context: HandlerContext) => Promise<Principal>;
  timeoutMs: number;
  recordAdmin: (principal: Principal, method: string, outcome: AuditOutcome) => Promise<void>;
}): Partial<ServiceImpl<typeof PolicyService>> {
  // why: the method's name, subject and message types all come from the PolicyService descriptor, as on the policy side.
  const call =
    <M extends PolicyAdminMethod>(method: M) =>
    async (
      request: MessageShape<AdminMethod<M>['input']>,
      context: HandlerContext,
    ): Promise<MessageShape<AdminMethod<M>['output']>> => {
      const { input, output }: AdminMethod<M> = PolicyService.method[method];
      if (deps.access !== 'policy')
        throw new ConexusError('failed_precondition', 'access control is not configured on this server');
      const principal = await deps.principalOf(context);
      try {
        const reply = await deps.bus.request(policySubject(`admin.${method}`), toBinary(input, request), {
          timeoutMs: deps.timeoutMs,
          headers: { [HEADERS.principal]: formatPrincipal(principal) },
        });
        await deps.recordAdmin(principal, method, 'ok');
        // why: TypeScript cannot correlate a generic method's output with its descriptor entry; the descriptor guarantees it.
        return fromBinary(output, reply.data) as MessageShape<AdminMethod<M>['output']>;
      } catch (error) {
        await deps.recordAdmin(
          principal,
          method,
          error instanceof ConexusError && error.code === 'permission_denied' ? 'denied' : 'error',
        );
        throw error;
      }
    };
  return {
    grant: call('grant'),
    revoke: call('revoke'),
    listPolicies: call('listPolicies'),
    explain: call('explain'),
    createApiKey: call('createApiKey'),
    revokeApiKey: call('revokeApiKey'),
    listApiKeys: call('listApiKeys'),
  };
}

import { anonymousPrincipal, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Request } from '../../src/policy/types';
import type { Outcome } from './differential-model';

/**
 * The reference engine: @cloud-copilot/iam-simulate (dev dependency, never shipped). The key policy is the resource
 * policy; the caller's identity side is an allow-all identity policy, so the key policy alone decides (README
 * rule 1: "the caller's IAM side counts as allowing"). Anonymous callers have no identity side.
 */

const ALLOW_ALL = {
  name: 'allow-all',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const DECISIONS = { Allowed: 'allow', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' } as const;

export function simulation(policy: unknown, request: Request, keyAccount: string): Simulation {
  const anonymous = request.principal === '*';
  return {
    request: {
      principal: anonymous ? anonymousPrincipal : request.principal,
      action: request.action,
      resource: { resource: request.resource ?? '*', accountId: keyAccount },
      contextVariables: (request.context ?? {}) as Record<string, string | string[]>,
    },
    identityPolicies: anonymous ? [] : [ALLOW_ALL],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  };
}

export async function simulate(policy: unknown, request: Request, keyAccount: string): Promise<Outcome> {
  const result = await runSimulation(simulation(policy, request, keyAccount), {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors).slice(0, 300)}`;
  return DECISIONS[result.overallResult as keyof typeof DECISIONS] ?? `error: ${String(result.overallResult)}`;
}

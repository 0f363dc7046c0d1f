import { type ContextLookup, contextLookup } from './conditions/context';
import { conditionsMatchLookup } from './conditions/match';
import type { VariableLookup } from './conditions/variables';
import { actionMatchesLower } from './match/action';
import { notResourceApplies, resourceMatches } from './match/resource';
import { type Caller, parseCaller } from './principal/caller';
import { principalMatches } from './principal/match';
import type { Evaluation, ParsedPolicy, Request, Statement } from './types';

/**
 * Evaluate a request against a resource policy on its own (the caller's IAM side counts as allowing): an applying
 * Deny gives explicit-deny, else an applying Allow gives allow, else implicit-deny. decidedBy lists the applying
 * statements of the deciding effect.
 */

interface PreparedRequest {
  caller: Caller;
  lowerAction: string;
  resource: string | undefined;
  context: ContextLookup;
  /** Variables resolve from the context in Version 2012-10-17 policies; undefined turns them off. */
  vars: VariableLookup | undefined;
}

function prepareRequest(request: Request, variables: boolean): PreparedRequest {
  const context = contextLookup(request.context);
  return {
    caller: parseCaller(request.principal),
    lowerAction: request.action.toLowerCase(),
    resource: request.resource,
    context,
    vars: variables ? context : undefined,
  };
}

function applies(statement: Statement, r: PreparedRequest): boolean {
  if (statement.action !== undefined) {
    if (!actionMatchesLower(statement.action, r.lowerAction)) return false;
  } else if (statement.notAction !== undefined && actionMatchesLower(statement.notAction, r.lowerAction)) {
    return false;
  }
  if (!principalMatches(statement, r.caller)) return false;
  if (statement.resource !== undefined) {
    if (!resourceMatches(statement.resource, r.resource, r.vars)) return false;
  } else if (statement.notResource !== undefined && !notResourceApplies(statement.notResource, r.resource, r.vars)) {
    return false;
  }
  return statement.conditions.length === 0 || conditionsMatchLookup(statement.conditions, r.context, r.vars);
}

/** Does the statement apply to the request (principal, action, resource and every condition)? */
export function statementApplies(statement: Statement, request: Request, options?: { variables?: boolean }): boolean {
  return applies(statement, prepareRequest(request, options?.variables ?? true));
}

export function evaluate(policy: ParsedPolicy, request: Request): Evaluation {
  const r = prepareRequest(request, policy.version === '2012-10-17');
  const denies: Statement[] = [];
  const allows: Statement[] = [];
  for (const statement of policy.statements) {
    if (statement.effect === 'Deny') {
      if (applies(statement, r)) denies.push(statement);
    } else if (denies.length === 0 && applies(statement, r)) {
      allows.push(statement);
    }
  }
  if (denies.length > 0) return { decision: 'explicit-deny', decidedBy: denies };
  if (allows.length > 0) return { decision: 'allow', decidedBy: allows };
  return { decision: 'implicit-deny', decidedBy: [] };
}

/** The IAM policy language, pure: parse, match, conditions, evaluate. Everything keywarden analyses rests on it. */

export { conditionMatchesValue, conditionPassesWhenAbsent, conditionsMatch } from './conditions/match';
export type { OperatorFamily, OperatorInfo } from './conditions/operators';
export { BASE_OPERATORS, operatorInfo } from './conditions/operators';
export type { PolicyVariables } from './conditions/variables';
export { parseValueTemplate } from './conditions/variables';
export { evaluate, statementApplies } from './evaluate';
export { childPointer, pointerToken, pointerTokens } from './json-pointer';
export { actionMatches } from './match/action';
export type { ArnParts } from './match/arn';
export { arnLike, parseArn } from './match/arn';
export { notResourceApplies, resourceMatches } from './match/resource';
export { hasWildcard, wildcardMatch } from './match/wildcard';
export { editDistance } from './parse/suggest';
export { parsePolicyText } from './parse/text';
export type { ParseValueOptions } from './parse/value';
export { parsePolicyValue } from './parse/value';
export { hasTemplatePlaceholder, isAccountIdPlaceholder } from './placeholders';
export type { Caller, CallerKind } from './principal/caller';
export { isAccountId, isServicePrincipalName, normalisePrincipal, parseCaller } from './principal/caller';
export { principalMatches, principalSetCovers, principalSetListsEveryLevel } from './principal/match';
export type * from './types';

/**
 * `data "aws_iam_policy_document"` -> the JSON policy the AWS provider renders: statement blocks with
 * actions/resources (and not_*), principals/not_principals blocks grouped by type, condition blocks, plus
 * source_policy_documents (prepended) and override_policy_documents (replace statements by Sid).
 * Single values are written as strings, as the provider does.
 */
import type { ReadLog } from '../log';
import type { TemplateLocation } from '../types';
import { isSymbolicText } from './evaluate';
import type { TfPolicy, TfResource } from './model';

type Json = Record<string, unknown>;

const one = (values: string[]): string | string[] => (values.length === 1 ? (values[0] as string) : values);

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

function blocks(value: unknown): Json[] {
  if (Array.isArray(value))
    return value.filter((b): b is Json => typeof b === 'object' && b !== null && !Array.isArray(b));
  if (typeof value === 'object' && value !== null) return [value as Json];
  return [];
}

function principalsOf(list: Json[]): unknown {
  if (list.length === 0) return undefined;
  const byType = new Map<string, string[]>();
  for (const block of list) {
    const type = typeof block.type === 'string' ? block.type : '{{type}}';
    byType.set(type, [...(byType.get(type) ?? []), ...strings(block.identifiers)]);
  }
  const wildcard = byType.get('*');
  if (byType.size === 1 && wildcard && wildcard.every((id) => id === '*')) return '*';
  return Object.fromEntries([...byType].map(([type, ids]) => [type, one(ids)]));
}

function conditionOf(list: Json[]): unknown {
  if (list.length === 0) return undefined;
  const condition: Record<string, Record<string, string | string[]>> = {};
  for (const block of list) {
    const test = String(block.test ?? '{{test}}');
    const variable = String(block.variable ?? '{{variable}}');
    const existing = condition[test]?.[variable];
    const values = [...strings(existing ?? []), ...strings(block.values)];
    condition[test] = { ...condition[test], [variable]: one(values) };
  }
  return condition;
}

export function statementOf(block: Json): Json {
  const statement: Json = {};
  if (typeof block.sid === 'string' && block.sid !== '') statement.Sid = block.sid;
  statement.Effect = typeof block.effect === 'string' ? block.effect : 'Allow';
  const lists: Array<[string, string]> = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [from, to] of lists) {
    const values = strings(block[from]);
    if (block[from] !== undefined && values.length > 0) statement[to] = one(values);
  }
  const principal = principalsOf(blocks(block.principals));
  if (principal !== undefined) statement.Principal = principal;
  const notPrincipal = principalsOf(blocks(block.not_principals));
  if (notPrincipal !== undefined) statement.NotPrincipal = notPrincipal;
  const condition = conditionOf(blocks(block.condition));
  if (condition !== undefined) statement.Condition = condition;
  return statement;
}

function statementsOfText(text: unknown): Json[] | undefined {
  if (typeof text !== 'string' || isSymbolicText(text)) return undefined;
  try {
    const parsed = JSON.parse(text) as Json;
    const statements = parsed.Statement;
    return Array.isArray(statements) ? (statements as Json[]) : statements ? [statements as Json] : [];
  } catch {
    return undefined;
  }
}

/** The document of an aws_iam_policy_document data source, located statement by statement. */
export function policyDocumentOf(resource: TfResource, log: ReadLog): TfPolicy {
  const attrs = resource.attrs;
  const own = blocks(attrs.statement).map(statementOf);
  type Origin = { own?: number; location?: TemplateLocation };
  const origins: Origin[] = own.map((_, index) => ({ own: index, location: resource.locate(`statement/${index}`) }));
  const statements: Json[] = [...own];
  const sourceLists = [...strings(attrs.source_policy_documents ?? []), ...strings(attrs.source_json ?? [])];
  for (const text of sourceLists.reverse()) {
    const extra = statementsOfText(text);
    if (!extra) {
      log.note(
        resource.locate('source_policy_documents')?.pointer ?? resource.address,
        'a source policy document is unknown before apply: its statements are not read',
      );
      continue;
    }
    statements.unshift(...extra);
    origins.unshift(...extra.map(() => ({ location: resource.locate('source_policy_documents') })));
  }
  for (const text of [...strings(attrs.override_policy_documents ?? []), ...strings(attrs.override_json ?? [])]) {
    const extra = statementsOfText(text);
    if (!extra) {
      log.note(
        resource.locate('override_policy_documents')?.pointer ?? resource.address,
        'an override policy document is unknown before apply: its statements are not read',
      );
      continue;
    }
    for (const statement of extra) {
      const index = statement.Sid ? statements.findIndex((s) => s.Sid === statement.Sid) : -1;
      if (index >= 0) {
        statements[index] = statement;
        origins[index] = { location: resource.locate('override_policy_documents') };
      } else {
        statements.push(statement);
        origins.push({ location: resource.locate('override_policy_documents') });
      }
    }
  }
  const document: Json = { Version: typeof attrs.version === 'string' ? attrs.version : '2012-10-17' };
  if (typeof attrs.policy_id === 'string') document.Id = attrs.policy_id;
  document.Statement = statements;
  const location = resource.location;
  const FIELD: Record<string, string> = {
    Action: 'actions',
    NotAction: 'not_actions',
    Resource: 'resources',
    NotResource: 'not_resources',
    Principal: 'principals/0',
    NotPrincipal: 'not_principals/0',
    Condition: 'condition/0',
  };
  return {
    document,
    ...(location ? { location } : {}),
    locate: (pointer) => {
      const match = /^\/Statement\/(\d+)(?:\/([^/]+))?/.exec(pointer);
      if (!match) return location;
      const origin = origins[Number(match[1])];
      const statementLocation = origin?.location ?? location;
      if (origin?.own === undefined || !match[2]) return statementLocation;
      const field = FIELD[match[2]];
      return (field ? resource.locate(`statement/${origin.own}/${field}`) : undefined) ?? statementLocation;
    },
  };
}

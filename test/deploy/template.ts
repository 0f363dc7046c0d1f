/** deploy/template.yaml read as CloudFormation sees it: short-form tags (!Ref, !Sub...) become their long forms. */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

export const TEMPLATE_PATH = new URL('../../deploy/template.yaml', import.meta.url);

const TAGS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'GetAZs',
  'Base64',
  'Cidr',
];
const longForm = (name: string, value: unknown): unknown => {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') return { 'Fn::GetAtt': value.split('.') };
  return { [`Fn::${name}`]: value };
};

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is free-form
type Loose = any;

export type Template = {
  Parameters: Record<string, Loose>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Loose; DependsOn?: unknown }>;
  Outputs?: Record<string, unknown>;
};

export function readTemplate(): Template {
  const doc = parseDocument(readFileSync(TEMPLATE_PATH, 'utf8'), {
    customTags: TAGS.flatMap((name) =>
      (['scalar', 'seq', 'map'] as const).map((kind) => ({
        tag: `!${name}`,
        ...(kind === 'scalar' ? {} : { collection: kind }),
        resolve: (value: unknown) => longForm(name, (value as { toJSON?: () => unknown })?.toJSON?.() ?? value),
      })),
    ),
  });
  if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('\n'));
  return doc.toJS() as Template;
}

export const resourcesOfType = (t: Template, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

/** The logical id a `{Fn::GetAtt: [X, Arn]}` or `{Ref: X}` points at. */
export const target = (value: unknown): string | undefined => {
  const v = value as { 'Fn::GetAtt'?: string[]; Ref?: string };
  return v?.['Fn::GetAtt']?.[0] ?? v?.Ref;
};

/** The statements of a role's inline policies; `Fn::If` entries count with their true branch. */
export function roleStatements(t: Template, roleId: string): Loose[] {
  const role = t.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not an AWS::IAM::Role`);
  return (role.Properties.Policies ?? []).flatMap((p: Loose) =>
    (p.PolicyDocument.Statement as Loose[]).map((s) => (s['Fn::If'] ? s['Fn::If'][1] : s)),
  );
}

export const actionsOf = (statements: Array<{ Action: string | string[] }>): string[] =>
  [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();

/**
 * The exposed-key block of deploy/template.yaml against the code it deploys: the definition's placeholders, the task
 * functions, the EventBridge rules (the real events must match them, others not), the quarantine policies and
 * the response mode. Roles and cfn-lint are checked for every function in test/deploy.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_EVENT_CODES,
  EXPOSED_KEYS_CHECK,
  HEALTH_DETAIL_TYPE,
  TRUSTED_ADVISOR_DETAIL_TYPE,
} from '../../src/respond/plan/exposed-key-events';
import { QUARANTINE_POLICY_NAMES } from '../../src/respond/plan/exposed-key-policies';
import { readTemplate, roleStatements, target } from '../deploy/template';
import { definitionText } from './asl-definition';
import { healthEvent, olderHealthEvent, rehearsalEntry, trustedAdvisorEvent } from './fixtures';

const template = readTemplate();
const machine = template.Resources.ExposedKeyStateMachine!;
const KEY = 'AKIAIOSFODNN7EXAMPLE';

/** EventBridge pattern matching for the forms the rules use: lists of exact values, nested objects. */
const matches = (pattern: Record<string, unknown>, event: Record<string, unknown>): boolean =>
  Object.entries(pattern).every(([field, expected]) => {
    const actual = event[field];
    if (Array.isArray(expected)) return expected.includes(actual);
    return (
      typeof actual === 'object' &&
      actual !== null &&
      matches(expected as Record<string, unknown>, actual as Record<string, unknown>)
    );
  });

const rules = Object.entries(
  machine.Properties.Events as Record<string, { Type: string; Properties: { Pattern: Record<string, unknown> } }>,
);
const matchingRules = (event: Record<string, unknown>) =>
  rules.filter(([, rule]) => matches(rule.Properties.Pattern, event)).map(([name]) => name);

describe('the exposed-key block of deploy/template.yaml', () => {
  it('is a Standard state machine running the definition in deploy/statemachines', () => {
    expect(machine.Type).toBe('AWS::Serverless::StateMachine');
    expect(machine.Properties.Type).toBe('STANDARD');
    const uri = new URL(machine.Properties.DefinitionUri, new URL('../../deploy/', import.meta.url));
    expect(fileURLToPath(uri)).toBe(
      fileURLToPath(new URL('../../deploy/statemachines/exposed-key.asl.json', import.meta.url)),
    );
  });

  it('substitutes every task of the definition with its own function, built from its own handler', () => {
    const placeholders = [...new Set([...definitionText.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort();
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(placeholders);
    const functions = Object.values(substitutions).map((value) => target(value)!);
    for (const id of functions) {
      const fn = template.Resources[id]!;
      const name = /^\.\.\/dist\/lambda\/(exposed-key-[\w-]+)\/$/.exec(fn.Properties.CodeUri)?.[1];
      expect(name, id).toBeDefined();
      expect(existsSync(fileURLToPath(new URL(`../../src/lambda/${name}.handler.ts`, import.meta.url)))).toBe(true);
    }
    const invoke = roleStatements(template, target(machine.Properties.Role)!);
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Action).toBe('lambda:InvokeFunction');
    expect((invoke[0].Resource as unknown[]).map(target).sort()).toEqual([...functions].sort());
  });

  it('starts on the real Trusted Advisor and Health events and the rehearsal source, not on others', () => {
    expect(rules.map(([, rule]) => rule.Type)).toEqual(['EventBridgeRule', 'EventBridgeRule', 'EventBridgeRule']);
    expect(matchingRules(trustedAdvisorEvent({ accessKeyId: KEY }))).toEqual(['TrustedAdvisor']);
    expect(matchingRules(healthEvent({ accessKeyId: KEY }))).toEqual(['Health']);
    expect(matchingRules(olderHealthEvent({ accessKeyId: KEY }))).toEqual(['Health']);
    const [entry] = rehearsalEntry({ accessKeyId: KEY });
    expect(
      matchingRules({
        source: entry!.Source,
        'detail-type': entry!.DetailType,
        detail: JSON.parse(entry!.Detail as string),
      }),
    ).toEqual(['Rehearsal']);
    const ok = trustedAdvisorEvent({ accessKeyId: KEY });
    (ok.detail as Record<string, unknown>).status = 'OK';
    expect(matchingRules(ok)).toEqual([]);
    const other = healthEvent({ accessKeyId: KEY });
    (other.detail as Record<string, unknown>).eventTypeCode = 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED';
    expect(matchingRules(other)).toEqual([]);
    expect(matchingRules({ ...trustedAdvisorEvent({ accessKeyId: KEY }), source: 'awsmock.trustedadvisor' })).toEqual(
      [],
    );
  });

  it('the rules say what the code reads: one definition of the check, the event codes and detail types', () => {
    const pattern = (name: string) => rules.find(([n]) => n === name)![1].Properties.Pattern as Record<string, never>;
    expect(pattern('TrustedAdvisor')).toEqual({
      source: ['aws.trustedadvisor'],
      'detail-type': [TRUSTED_ADVISOR_DETAIL_TYPE],
      detail: { 'check-name': [EXPOSED_KEYS_CHECK], status: ['ERROR'] },
    });
    expect(pattern('Health')).toEqual({
      source: ['aws.health'],
      'detail-type': [HEALTH_DETAIL_TYPE],
      detail: { eventTypeCode: [...CREDENTIAL_EVENT_CODES] },
    });
    expect(pattern('Rehearsal')['detail-type']).toEqual([TRUSTED_ADVISOR_DETAIL_TYPE, HEALTH_DETAIL_TYPE]);
    for (const [, rule] of rules) {
      expect(
        target((rule.Properties as unknown as { DeadLetterConfig?: { Arn: unknown } }).DeadLetterConfig?.Arn),
      ).toBe('ExposedKeyEventFailures');
    }
  });

  it('lets the contain task attach only the quarantine policies the code tries', () => {
    const statements = roleStatements(template, 'ExposedKeyContainRole');
    const attach = statements.find((s) => s.Action === 'iam:AttachUserPolicy');
    const arns = attach.Condition.ArnEquals['iam:PolicyARN'].map((a: { 'Fn::Sub': string }) => a['Fn::Sub']);
    expect(arns).toEqual(QUARANTINE_POLICY_NAMES.map((name) => `arn:\${AWS::Partition}:iam::aws:policy/${name}`));
  });

  it('passes the ResponseMode parameter and the store table to the tasks that use them', () => {
    const env = (id: string) => template.Resources[id]!.Properties.Environment.Variables;
    expect(env('ExposedKeyIdentifyFunction').RESPONSE_MODE).toEqual({ Ref: 'ResponseMode' });
    expect(env('ExposedKeyNotifyFailureFunction').RESPONSE_MODE).toEqual({ Ref: 'ResponseMode' });
    for (const id of ['ExposedKeyContainFunction', 'ExposedKeyRevokeFunction', 'ExposedKeyNotifyFunction']) {
      expect(env(id).TABLE_NAME).toEqual({ Ref: 'StoreTable' });
    }
    expect(env('ExposedKeyNotifyFunction').ALERTS_TOPIC_ARN).toEqual({ Ref: 'AlertsTopic' });
    expect(env('ExposedKeyInvestigateFunction')).toEqual({ INVESTIGATION_WINDOW: '24h', TRAIL_REGIONS: 'all' });
  });
});

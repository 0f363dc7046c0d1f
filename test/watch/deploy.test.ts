/**
 * deploy/forwarder.yaml: cfn-lint clean (when installed), the KMS events it forwards are exactly the ones the watch
 * follows, the exposed-key events are the ones the responder reads, its role may only put events on the home bus.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { WATCHED_EVENTS } from '../../src/app/watch-events';
import { CREDENTIAL_EVENT_CODES, EXPOSED_KEYS_CHECK } from '../../src/respond/plan/exposed-key-events';
import { readTemplate } from '../deploy/template';

const FORWARDER = fileURLToPath(new URL('../../deploy/forwarder.yaml', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is free-form
type Loose = any;

/** The template with CloudFormation's short-form tags kept as `{ "!Tag": value }`. */
function readForwarder(): Loose {
  const tags = ['Ref', 'Sub', 'GetAtt', 'If', 'Equals', 'Not', 'And', 'Condition'];
  const doc = parseDocument(readFileSync(FORWARDER, 'utf8'), {
    customTags: tags.flatMap((name) =>
      (['scalar', 'seq', 'map'] as const).map((kind) => ({
        tag: `!${name}`,
        ...(kind === 'scalar' ? {} : { collection: kind }),
        resolve: (value: unknown) => ({ [`!${name}`]: (value as { toJSON?: () => unknown })?.toJSON?.() ?? value }),
      })),
    ),
  });
  if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('\n'));
  return doc.toJS();
}

const lint = spawnSync('cfn-lint', [FORWARDER], { encoding: 'utf8' });
const hasLint = !lint.error;

describe('deploy/forwarder.yaml', () => {
  const template = readForwarder();
  const rules = Object.values(template.Resources as Record<string, Loose>).filter(
    (r) => r.Type === 'AWS::Events::Rule',
  );

  it.skipIf(!hasLint)(
    `passes cfn-lint${hasLint ? '' : ' (skipped: cfn-lint is not installed: pip install cfn-lint)'}`,
    () => {
      expect(`${lint.stdout}${lint.stderr}`).toBe('');
      expect(lint.status).toBe(0);
    },
  );

  it('forwards exactly the KMS events the watch follows, failed attempts included', () => {
    const kms = rules.find((r) => r.Properties.EventPattern.source?.[0] === 'aws.kms');
    expect(kms.Properties.EventPattern.detail.eventName).toEqual([...WATCHED_EVENTS]);
    expect(kms.Properties.EventPattern.detail.errorCode).toBeUndefined();
    expect(kms.Condition).toBe('Forwards');
  });

  it('forwards, from us-east-1 only, the exposed-key events the responder reads', () => {
    const global = rules.filter((r) => r.Condition === 'ForwardsGlobalEvents');
    expect(global).toHaveLength(2);
    const findings = global.find((r) => r.Properties.EventPattern.$or).Properties.EventPattern.$or;
    expect(findings[0].detail['check-name']).toEqual([EXPOSED_KEYS_CHECK]);
    expect([...findings[1].detail.eventTypeCode].sort()).toEqual([...CREDENTIAL_EVENT_CODES].sort());
    expect(template.Conditions.ForwardsGlobalEvents).toEqual({
      '!And': [{ '!Condition': 'InUsEast1' }, { '!Condition': 'Forwards' }],
    });
  });

  it('sends every rule to the home bus through a role that may do only that, with a dead-letter queue', () => {
    for (const rule of rules) {
      const [target] = rule.Properties.Targets;
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub string, not a JS template
      const homeBus = 'arn:${AWS::Partition}:events:${HomeRegion}:${AWS::AccountId}:event-bus/${HomeEventBusName}';
      expect(target.Arn).toEqual({ '!Sub': homeBus });
      expect(target.RoleArn).toEqual({ '!GetAtt': 'ForwardRole.Arn' });
      expect(target.DeadLetterConfig).toEqual({ Arn: { '!GetAtt': 'FailedForwards.Arn' } });
    }
    const statements = template.Resources.ForwardRole.Properties.Policies.flatMap(
      (p: Loose) => p.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: rules[0].Properties.Targets[0].Arn,
      }),
    ]);
  });
});

describe('deploy/template.yaml: the live watch block', () => {
  const template = readTemplate();

  it('invokes the watch for exactly the KMS events it follows', () => {
    const events = template.Resources.WatchFunction?.Properties.Events;
    expect(events.KmsKeyChanges.Type).toBe('EventBridgeRule');
    expect(events.KmsKeyChanges.Properties.Pattern.detail.eventName).toEqual([...WATCHED_EVENTS]);
    expect(events.KmsKeyChanges.Properties.DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': ['WatchFailures', 'Arn'] },
    });
  });

  it('runs the reconciliation on a schedule parameter, hourly by default', () => {
    expect(template.Parameters.ReconcileSchedule.Default).toBe('rate(1 hour)');
    expect(template.Resources.ReconcileFunction?.Properties.Events.Reconcile).toEqual({
      Type: 'Schedule',
      Properties: { Schedule: { Ref: 'ReconcileSchedule' }, Description: 'keywarden reconciliation of the live watch' },
    });
  });

  it('gives both functions the store, the configuration and the alerts topic', () => {
    for (const id of ['WatchFunction', 'ReconcileFunction']) {
      expect(template.Resources[id]?.Properties.Environment.Variables).toEqual({
        TABLE_NAME: { Ref: 'StoreTable' },
        CONFIG_LOCATION: { Ref: 'ConfigLocation' },
        ALERTS_TOPIC_ARN: { Ref: 'AlertsTopic' },
      });
    }
  });
});

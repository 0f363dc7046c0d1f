/**
 * deploy/template.yaml: cfn-lint clean (when installed), the shared parameters and resources of the deploy
 * conventions, the Config rule (change-triggered and periodic), and one least-privilege role per function that grants
 * exactly the actions its code sends (each handler exports `permissions`; for the Config rule they are checked
 * against every command of mocked runs in test/awsconfig/permissions.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cloudFormationTableProperties } from '../../src/store/dynamodb';
import { actionsOf, readTemplate, resourcesOfType, roleStatements, TEMPLATE_PATH, target } from './template';

const template = readTemplate();
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cfnLint(): { ran: false; why: string } | { ran: true; status: number; output: string } {
  const file = fileURLToPath(TEMPLATE_PATH);
  for (const [cmd, args] of [
    ['cfn-lint', [file]],
    ['python3', ['-m', 'cfnlint', file]],
  ] as const) {
    const r = spawnSync(cmd, [...args], { encoding: 'utf8' });
    if (r.error || /No module named|is a package and cannot be directly executed/.test(r.stderr)) continue;
    return { ran: true, status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  }
  return { ran: false, why: 'cfn-lint is not installed (pip install cfn-lint)' };
}

describe('deploy/template.yaml', () => {
  const lint = cfnLint();
  it.skipIf(!lint.ran)(`passes cfn-lint${lint.ran ? '' : ` (skipped: ${lint.why})`}`, () => {
    if (!lint.ran) return;
    // cfn-lint exit status bits: 2 error, 4 warning, 8 informational.
    expect(lint.output).toBe('');
    expect(lint.status & 2).toBe(0);
  });

  it('declares the shared parameters and the Config rule frequency', () => {
    expect(Object.keys(template.Parameters)).toEqual(
      expect.arrayContaining(['ConfigLocation', 'AlertEmail', 'ResponseMode', 'ConfigRuleFrequency']),
    );
    expect(template.Parameters.ConfigRuleFrequency).toMatchObject({
      Default: 'TwentyFour_Hours',
      AllowedValues: ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'],
    });
    expect(template.Parameters.ResponseMode.AllowedValues).toEqual(['notify', 'contain', 'contain-and-delete']);
  });

  it('has one AlertsTopic with an e-mail subscription', () => {
    expect(resourcesOfType(template, 'AWS::SNS::Topic').map(([id]) => id)).toEqual(['AlertsTopic']);
    const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription');
    expect(subscriptions).toHaveLength(1);
    const subscription = subscriptions[0]![1];
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      TopicArn: { Ref: 'AlertsTopic' },
      Endpoint: { Ref: 'AlertEmail' },
    });
  });

  it('has the one store table, as cloudFormationTableProperties() defines it', () => {
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    expect(tables[0]![1].Properties).toMatchObject(cloudFormationTableProperties());
  });

  it('triggers the Config rule on AWS::KMS::Key changes (also oversized) and periodically', () => {
    const rules = resourcesOfType(template, 'AWS::Config::ConfigRule');
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties;
    expect(rule.Scope).toEqual({ ComplianceResourceTypes: ['AWS::KMS::Key'] });
    expect(rule.Source.Owner).toBe('CUSTOM_LAMBDA');
    expect(rule.Source.SourceDetails).toEqual([
      { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
      { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
      {
        EventSource: 'aws.config',
        MessageType: 'ScheduledNotification',
        MaximumExecutionFrequency: { Ref: 'ConfigRuleFrequency' },
      },
    ]);
    const fn = target(rule.Source.SourceIdentifier)!;
    expect(template.Resources[fn]?.Type).toBe('AWS::Serverless::Function');
    const permission = resourcesOfType(template, 'AWS::Lambda::Permission').find(
      ([, p]) => target(p.Properties.FunctionName) === fn,
    );
    expect(permission?.[1].Properties).toMatchObject({
      Principal: 'config.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  const functions = resourcesOfType(template, 'AWS::Serverless::Function');

  it.each(functions)('%s runs the esbuild bundle on nodejs22.x', (_id, fn) => {
    const name = /^\.\.\/dist\/lambda\/([\w-]+)\/$/.exec(fn.Properties.CodeUri)?.[1];
    expect(name, 'CodeUri is ../dist/lambda/<name>/').toBeDefined();
    expect(existsSync(`${ROOT}src/lambda/${name}.handler.ts`)).toBe(true);
    expect(existsSync(`${ROOT}dist/lambda/${name}/index.mjs`)).toBe(true);
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
  });

  it.each(functions)('%s, invoked asynchronously, has an on-failure destination or a DLQ', (id, fn) => {
    const byConfig = resourcesOfType(template, 'AWS::Config::ConfigRule').some(
      ([, r]) => target(r.Properties.Source.SourceIdentifier) === id,
    );
    const asyncEvents = Object.values(fn.Properties.Events ?? {}).some((e) =>
      ['EventBridgeRule', 'CloudWatchEvent', 'Schedule', 'ScheduleV2', 'SNS', 'S3'].includes(
        (e as { Type: string }).Type,
      ),
    );
    if (!byConfig && !asyncEvents) return;
    const onFailure = fn.Properties.EventInvokeConfig?.DestinationConfig?.OnFailure ?? fn.Properties.DeadLetterQueue;
    expect(onFailure, `${id} needs EventInvokeConfig.DestinationConfig.OnFailure or DeadLetterQueue`).toBeDefined();
  });

  it.each(functions)('%s has its own role granting exactly what its code sends', async (id, fn) => {
    const name = /dist\/lambda\/([\w-]+)\//.exec(fn.Properties.CodeUri)![1]!;
    const handler = (await import(`../../src/lambda/${name}.handler.ts`)) as { permissions?: readonly string[] };
    expect(
      handler.permissions,
      `src/lambda/${name}.handler.ts must export permissions: the AWS actions it sends`,
    ).toBeDefined();
    const roleId = target(fn.Properties.Role);
    expect(roleId, `${id} needs its own AWS::IAM::Role (Role: !GetAtt ...Arn)`).toBeDefined();
    const usedBy = functions.filter(([, f]) => target(f.Properties.Role) === roleId);
    expect(usedBy.map(([other]) => other)).toEqual([id]);
    const statements = roleStatements(template, roleId!);
    // What the Lambda runtime itself does with the role: write the function's log, send failed events on.
    const runtime = ['logs:CreateLogStream', 'logs:PutLogEvents'];
    const destination = fn.Properties.EventInvokeConfig?.DestinationConfig?.OnFailure ?? fn.Properties.DeadLetterQueue;
    if (destination) runtime.push((destination.Type ?? '').toUpperCase() === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage');
    expect(actionsOf(statements)).toEqual([...new Set([...handler.permissions!, ...runtime])].sort());
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      const actions: string[] = Array.isArray(s.Action) ? s.Action : [s.Action];
      expect(
        actions.some((a) => a.includes('*')),
        `no wildcard actions in ${s.Sid}`,
      ).toBe(false);
    }
  });

  // Fails while scripts/build.mjs bundles jsonc-parser's UMD entry (`main`), whose AMD-style require('./impl/format')
  // esbuild cannot follow: the Lambda bundles need `mainFields: ['module', 'main']`.
  it('the built Config rule bundle loads and exports the handler', async () => {
    const bundle = (await import(`${ROOT}dist/lambda/config-rule/index.mjs`)) as {
      handler?: unknown;
      permissions?: unknown;
    };
    expect(typeof bundle.handler).toBe('function');
  });
});

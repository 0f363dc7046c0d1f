/** The Config rule declares exactly the AWS actions it sends: every command of every kind of run is recorded. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CONFIG_RULE_PERMISSIONS, type ConfigRuleDeps, runConfigRule } from '../../src/app/config-rule';
import { configRuleDeps, permissions } from '../../src/lambda/config-rule.handler';
import { event, mockAws, REGION, TEST_ENV, withEnv } from './harness';

let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = withEnv(TEST_ENV);
});
afterEach(() => restoreEnv());

const deps = (env: Record<string, string> = {}): ConfigRuleDeps => ({
  ...configRuleDeps({ AWS_REGION: REGION, ...env }),
  log: () => {},
});

it('CONFIG_RULE_PERMISSIONS is exactly what change, oversized, periodic and location runs send', async () => {
  const aws = mockAws();
  try {
    aws.s3Text('administrators: [AROAOTTER*]\n');
    aws.ssmText('administrators: [AROAOTTER*]\n');
    await runConfigRule(event('change-notification'), deps({ CONFIG_LOCATION: 's3://org-security/keywarden.yaml' }));
    await runConfigRule(event('oversized-notification'), deps({ CONFIG_LOCATION: 'ssm:/keywarden/config' }));
    await runConfigRule(event('scheduled-notification'), deps());
    expect([...aws.actions()].sort()).toEqual(CONFIG_RULE_PERMISSIONS);
    expect(permissions).toBe(CONFIG_RULE_PERMISSIONS);
  } finally {
    aws.restore();
  }
});

/**
 * `keywarden respond exposed-key`: the plan, then the results; a dry run unless --execute; with AWS unreachable the
 * plan the event alone allows; and, against moto with a folder of CloudTrail logs, the real thing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/common';
import { respondCommand } from '../../src/cli/respond-command';
import { attackRecords, olderHealthEvent, type Scenario, trustedAdvisorEvent } from './fixtures';
import { MOTO_ACCOUNT, MOTO_SKIP_MESSAGE, type MotoWorld, motoAvailable, startMotoWorld } from './moto-world';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kw-respond-cli-'));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDCLITEST',
    AWS_SECRET_ACCESS_KEY: 'cli-test-only',
    AWS_MAX_ATTEMPTS: '1',
  });
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

const writeEvent = (event: unknown, name = 'event.json'): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof event === 'string' ? event : JSON.stringify(event));
  return path;
};

const cli = async (...args: string[]) => {
  let stdout = '';
  let code = -1;
  const command = respondCommand({
    stdout: (text) => {
      stdout += text;
    },
    setExitCode: (c) => {
      code = c;
    },
    sleep: async () => {},
    cacheDir: join(dir, 'cache'),
  });
  await command.parseAsync(['exposed-key', ...args], { from: 'user' });
  return { stdout, code };
};

describe('with AWS unreachable', () => {
  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
  });

  it('a dry run prints the plan the event alone allows, then what could not be read', async () => {
    const event = writeEvent(trustedAdvisorEvent({ accessKeyId: KEY, account: '111122223333' }));
    const { stdout, code } = await cli('--event', event);
    expect(code).toBe(0);
    const [plan, results] = stdout.split('\nResults\n');
    expect(plan).toContain(
      `Exposed access key ${KEY} (user test-user, account 111122223333), reported by Trusted Advisor`,
    );
    expect(plan).toContain('Mode: contain (dry run: nothing is changed or sent; add --execute to act)');
    expect(plan).toContain('Note: could not look the key up with GetAccessKeyLastUsed: ');
    expect(plan).toMatch(/1\. iam:UpdateAccessKey AKIAIOSFODNN7EXAMPLE\n/);
    expect(plan).toMatch(/2\. iam:AttachUserPolicy test-user\n/);
    expect(plan).toContain('not done: delete-key AKIAIOSFODNN7EXAMPLE: mode contain keeps the deactivated key');
    expect(results).toContain('DRY-RUN deactivate-key AKIAIOSFODNN7EXAMPLE: would call iam:UpdateAccessKey');
    expect(results).toContain("lookup:all: cannot list the account's enabled regions");
  });

  it('takes the mode from keywarden.yaml (response.mode) unless --mode says otherwise', async () => {
    const event = writeEvent(trustedAdvisorEvent({ accessKeyId: KEY, account: '111122223333' }));
    const config = join(dir, 'keywarden.yaml');
    writeFileSync(config, 'response:\n  mode: notify\n');
    const fromFile = await cli('--event', event, '--config', config);
    expect(fromFile.stdout).toContain('Mode: notify');
    const fromFlag = await cli('--event', event, '--config', config, '--mode', 'contain-and-delete');
    expect(fromFlag.stdout).toContain('Mode: contain-and-delete');
    writeFileSync(config, 'response:\n  mode: delete-everything\n');
    await expect(cli('--event', event, '--config', config)).rejects.toThrow(/keywarden\.yaml:2:\d+: response\.mode/);
  });

  it('an older Health event without a user: the plan says how to find it, exit 1', async () => {
    const event = writeEvent(olderHealthEvent({ accessKeyId: KEY }));
    const { stdout, code } = await cli('--event', event, '--mode', 'contain-and-delete', '--trail', 'lookup:us-east-1');
    expect(code).toBe(1);
    expect(stdout).toContain("keywarden will not act: the key's IAM user is unknown");
    expect(stdout).toContain(`1. Find the key's user: aws iam get-access-key-last-used --access-key-id ${KEY}`);
    expect(stdout).toContain('lookup:us-east-1 AccessKeyId=AKIAIOSFODNN7EXAMPLE: LookupEvents failed');
  });

  it('json output is the state of the response', async () => {
    const event = writeEvent(trustedAdvisorEvent({ accessKeyId: KEY, account: '111122223333' }));
    const { stdout } = await cli('--event', event, '--format', 'json', '--mode', 'notify');
    const state = JSON.parse(stdout);
    expect(state).toMatchObject({ format: 'keywarden.exposed-key/v1', mode: 'notify', execute: false });
    expect(state.contain.plan.actions).toEqual([]);
  });
});

describe('bad input', () => {
  it('an event keywarden cannot respond to: the reason, exit 2', async () => {
    const event = trustedAdvisorEvent({ accessKeyId: KEY });
    delete ((event.detail as Record<string, unknown>)['check-item-detail'] as Record<string, unknown>)['Access Key ID'];
    const { stdout, code } = await cli('--event', writeEvent(event));
    expect(code).toBe(2);
    expect(stdout).toBe(
      'keywarden: cannot respond to this event: detail/check-item-detail/Access Key ID is missing: the event does not say which access key was exposed\nNothing was changed.\n',
    );
  });

  it('a file that is not JSON, a missing file, a bad --since or --trail: usage errors', async () => {
    await expect(cli('--event', writeEvent('{"source": '))).rejects.toThrow(UsageError);
    await expect(cli('--event', writeEvent('{"source": '))).rejects.toThrow(/is not valid JSON/);
    await expect(cli('--event', join(dir, 'missing.json'))).rejects.toThrow(/cannot read the event file/);
    const event = writeEvent(trustedAdvisorEvent({ accessKeyId: KEY }));
    await expect(cli('--event', event, '--since', 'yesterday')).rejects.toThrow(/^--since: "yesterday" is not a time/);
    await expect(cli('--event', event, '--trail', 'lookup:mars')).rejects.toThrow(/^--trail: "mars" is not a region/);
  });
});

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

describe.skipIf(!motoAvailable)('--execute against moto', () => {
  let world: MotoWorld;
  beforeAll(async () => {
    world = await startMotoWorld();
  });
  afterAll(async () => {
    await world?.moto.stop();
  });

  it('contains the key, reads the activity from a folder of CloudTrail logs, and notifies through SNS', async () => {
    await world.moto.reset();
    process.env.AWS_ENDPOINT_URL = world.endpoint;
    const key = await world.createUserWithKey('alice');
    await world.createRole('Deploy');
    const scenario: Scenario = {
      accessKeyId: key,
      userName: 'alice',
      account: MOTO_ACCOUNT,
      roleName: 'Deploy',
      roleKey: 'ASIAIOSFODNN7EXAMPLE',
      sessionKey: 'ASIAIOSFODNN7SESSION',
      day: '2024-06-02',
    };
    const logs = join(dir, 'trail');
    mkdirSync(logs);
    writeFileSync(join(logs, 'events.json'), JSON.stringify({ Records: attackRecords(scenario) }));
    const event = writeEvent(trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    const topic = 'arn:aws:sns:us-east-1:123456789012:keywarden-alerts';
    await world.sns.send(new (await import('@aws-sdk/client-sns')).CreateTopicCommand({ Name: 'keywarden-alerts' }));
    const args = [
      '--event',
      event,
      '--execute',
      '--since',
      '2024-06-01',
      '--trail',
      logs,
      '--db',
      join(dir, 'kw.db'),
      '--sns-topic',
      topic,
    ];
    const { stdout, code } = await cli(...args);
    expect(code).toBe(0);
    expect(await world.keyStatus('alice', key)).toBe('Inactive');
    expect(stdout).toContain(`APPLIED deactivate-key ${key}: deactivated`);
    expect(stdout).toContain('APPLIED revoke-role-sessions arn:aws:iam::123456789012:role/Deploy');
    expect(stdout).toContain(
      'created: access-key AKIAXAFZN8JEPF6L682H, login-profile malicious-iam-user, user malicious-iam-user',
    );
    expect(stdout).toContain(`sns:${topic}: sent (sent)`);
    const again = await cli(...args);
    expect(again.stdout).toContain(`ALREADY-DONE deactivate-key ${key}`);
    expect(again.stdout).toContain(`sns:${topic}: already-sent`);
  });
});

/**
 * `keywarden explain --aws KEY` and `scan --aws --iam` end to end: the real CLI, through the real SDK, against moto
 * on 127.0.0.1 (IAM users, groups, roles with inline, managed and boundary policies; a key delegating to the account).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';
import { keywarden, ROOT } from '../cli/run';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

const ACCOUNT = '123456789012'; // moto's default account
const REGION = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const doc = (statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const trustEc2 = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

describe.skipIf(!motoAvailable)('explain --aws and scan --aws --iam against moto', () => {
  let moto: MotoServer;
  let env: Record<string, string>;
  let keyArn = '';

  beforeAll(async () => {
    // moto loads AWS managed policies (ReadOnlyAccess...) only when asked; the server inherits this environment.
    process.env.MOTO_IAM_LOAD_MANAGED_POLICIES = 'true';
    moto = await startMoto();
    env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: REGION,
      AWS_MAX_ATTEMPTS: '2',
    };
    const iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials });
    const kms = new KMSClient({ endpoint: moto.endpoint, region: REGION, credentials });
    const key = await kms.send(
      new CreateKeyCommand({
        Description: 'payments',
        Policy: doc([
          {
            Sid: 'Enable IAM User Permissions',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'AllowAppRole',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
          },
        ]),
      }),
    );
    keyArn = key.KeyMetadata!.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: key.KeyMetadata!.KeyId }));

    const keyAdmin = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'KeyAdministrators',
        PolicyDocument: doc([
          {
            Effect: 'Allow',
            Action: ['kms:Describe*', 'kms:Disable*', 'kms:Put*', 'kms:ScheduleKeyDeletion'],
            Resource: '*',
          },
        ]),
      }),
    );
    const boundary = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'DecryptOnlyBoundary',
        PolicyDocument: doc([{ Effect: 'Allow', Action: ['kms:Decrypt', 's3:*'], Resource: '*' }]),
      }),
    );
    await iam.send(new CreateGroupCommand({ GroupName: 'KeyAdmins' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'KeyAdmins', PolicyArn: keyAdmin.Policy!.Arn }));
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'KeyAdmins', UserName: 'alice' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'bob',
        PolicyName: 'UsePaymentsKey',
        PolicyDocument: doc([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: keyArn }]),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Worker',
        AssumeRolePolicyDocument: trustEc2,
        PermissionsBoundary: boundary.Policy!.Arn,
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'Worker',
        PolicyName: 'UsePaymentsKey',
        PolicyDocument: doc([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: keyArn }]),
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'carol' })); // no KMS permission at all
    await iam.send(new CreateRoleCommand({ RoleName: 'AppRole', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Reporting', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: 'Reporting', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    );
  });
  afterAll(async () => moto?.stop());

  it('explain --aws names the real users and roles per class, and why', () => {
    const r = keywarden(['explain', '--aws', keyArn], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`Key ${keyArn} (alias/payments)`);
    const section = (heading: string) => out.slice(out.indexOf(heading), out.indexOf('\n\n', out.indexOf(heading)));
    const use = section('Who can use the key (cryptographic operations), as users and roles:');
    expect(use).toContain('- role AppRole');
    expect(use).toContain('key policy statement "AllowAppRole" names it directly (no IAM policy needed)');
    expect(use).toContain('- user bob');
    expect(use).toContain(
      'because: key policy statement "Enable IAM User Permissions" (the account principal) AND IAM policy UsePaymentsKey',
    );
    expect(use).toContain('- role Worker');
    expect(use).toContain(
      'role Worker: kms:Encrypt not allowed by its permissions boundary (permissions boundary DecryptOnlyBoundary)',
    );
    expect(use).not.toContain('alice');
    expect(use).not.toContain('carol');
    const admin = section('Who can administer the key, as users and roles:');
    expect(admin).toContain('- user alice');
    expect(admin).toContain('IAM policy KeyAdministrators (via group KeyAdmins)');
    const policy = section('Who can change the key policy (kms:PutKeyPolicy), as users and roles:');
    expect(policy).toContain('- user alice');
    expect(policy).not.toContain('bob');
    // ReadOnlyAccess (an AWS managed policy whose document the collector reads) allows kms:Get* and kms:List*:
    // GetParametersForImport is an administration action, ListGrants a grant one; no use, no policy change.
    expect(admin).toContain('- role Reporting\n      kms:GetParametersForImport\n');
    expect(admin).toContain('AND IAM policy ReadOnlyAccess');
    expect(use).not.toContain('Reporting');
    expect(policy).not.toContain('Reporting');
  });

  it('explain --aws accepts an alias and prints JSON', () => {
    const r = keywarden(['explain', '--aws', 'alias/payments', '--format', 'json'], { env });
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.key).toBe(keyArn);
    expect(json.iam.status).toBe('evaluated');
    const names = json.iam.principals.map((p: { principal: string }) => p.principal).sort();
    expect(names).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/AppRole`,
      `arn:aws:iam::${ACCOUNT}:role/Reporting`,
      `arn:aws:iam::${ACCOUNT}:role/Worker`,
      `arn:aws:iam::${ACCOUNT}:user/alice`,
      `arn:aws:iam::${ACCOUNT}:user/bob`,
    ]);
  });

  it('explain --aws with a key that does not exist: one clear line, exit 2', () => {
    const r = keywarden(
      ['explain', '--aws', `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`],
      {
        env,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/was not found in account 123456789012, region us-east-1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('scan --aws --iam adds the IAM principals per key to the JSON report and one line to the table', () => {
    const json = keywarden(['scan', '--aws', '--iam', '--region', REGION, '--no-save', '--format', 'json', '-q'], {
      env,
    });
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.v1.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const key = report.keys.find((k: { arn: string }) => k.arn === keyArn);
    expect(key.iam.principals.map((p: { name: string }) => p.name).sort()).toEqual([
      'AppRole',
      'Reporting',
      'Worker',
      'alice',
      'bob',
    ]);

    const table = keywarden(['scan', '--aws', '--iam', '--region', REGION, '--no-save', '-q'], { env });
    const lines = table.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes(`key ${keyArn.split('/')[1]}`));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toMatch(
      /IAM \(\d+ users and roles\): use 3 \(AppRole, Worker, bob\); admin 2 \(Reporting, alice\); grants 1 \(Reporting\); policy 1 \(alice\)/,
    );
  });

  it('scan --aws --access-analyzer where the findings cannot be read: a gap (exit 2), each key "not-judged" with the reason', () => {
    // moto does not emulate IAM Access Analyzer: its endpoint answers with an HTML page.
    const r = keywarden(
      ['scan', '--aws', '--access-analyzer', '--region', REGION, '--no-save', '--format', 'json', '-q'],
      {
        env,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/could not read Access Analyzer findings \(access-analyzer:ListAnalyzers, ListFindings\)/);
    const report = JSON.parse(r.stdout);
    const key = report.keys.find((k: { arn: string }) => k.arn === keyArn);
    expect(key.accessAnalyzer.status).toBe('not-judged');
    expect(key.accessAnalyzer.reason).toMatch(/^the Access Analyzer findings could not be read: /);
    expect(key.iam).toBeUndefined(); // --iam was not asked for
  });
});

/**
 * `keywarden explain --aws KEY --org` end to end against moto: a member account of an Organization with an SCP
 * that denies kms:DisableKey and an RCP data perimeter; the key's policy shares it with an outside account.
 */
import { CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';
import { keywarden } from '../cli/run';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

const REGION = 'us-east-1';
const PARTNER = '444455556666';
const doc = (statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

describe.skipIf(!motoAvailable)('explain --aws --org against moto', () => {
  let moto: MotoServer;
  let env: Record<string, string>;
  let prod = '';
  let keyArn = '';

  beforeAll(async () => {
    moto = await startMoto();
    env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: REGION,
      AWS_MAX_ATTEMPTS: '2',
    };
    const base = {
      endpoint: moto.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const org = new OrganizationsClient(base);
    const { Organization } = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await org.send(new CreateAccountCommand({ AccountName: 'prod', Email: 'prod@example.com' }));
    const { Accounts = [] } = await org.send(new ListAccountsCommand({}));
    prod = Accounts.find((a) => a.Name === 'prod')?.Id ?? '';
    const { Roots = [] } = await org.send(new ListRootsCommand({}));
    const rootId = Roots[0]?.Id ?? '';
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
    const scp = await org.send(
      new CreatePolicyCommand({
        Name: 'DenyKeyDisable',
        Description: 'Nobody disables KMS keys',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: doc([{ Sid: 'NoKeyDisable', Effect: 'Deny', Action: 'kms:DisableKey', Resource: '*' }]),
      }),
    );
    await org.send(new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id, TargetId: prod }));
    const rcp = await org.send(
      new CreatePolicyCommand({
        Name: 'KmsDataPerimeter',
        Description: 'Only principals of the organization use KMS keys',
        Type: 'RESOURCE_CONTROL_POLICY',
        Content: doc([
          { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
          {
            Sid: 'RCPEnforceIdentityPerimeter',
            Effect: 'Deny',
            Principal: '*',
            Action: 'kms:*',
            Resource: '*',
            Condition: {
              StringNotEqualsIfExists: { 'aws:PrincipalOrgID': Organization!.Id },
              BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
            },
          },
        ]),
      }),
    );
    await org.send(new AttachPolicyCommand({ PolicyId: rcp.Policy!.PolicySummary!.Id, TargetId: rootId }));
    org.destroy();

    const sts = new STSClient(base);
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${prod}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'setup',
      }),
    );
    sts.destroy();
    const c = assumed.Credentials!;
    const member = {
      ...base,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    };
    const kms = new KMSClient(member);
    const key = await kms.send(
      new CreateKeyCommand({
        Description: 'shared with a partner',
        Policy: doc([
          {
            Sid: 'Enable IAM User Permissions',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${prod}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'PartnerDecrypt',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${PARTNER}:root` },
            Action: 'kms:Decrypt',
            Resource: '*',
          },
        ]),
      }),
    );
    keyArn = key.KeyMetadata!.Arn!;
    kms.destroy();
    const iam = new IAMClient(member);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'alice',
        PolicyName: 'KmsAll',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]),
      }),
    );
    iam.destroy();
  });
  afterAll(async () => moto?.stop());

  it('names the SCP that limits a member principal and the RCP that makes the shared key internal', () => {
    const r = keywarden(['explain', '--aws', keyArn, '--org'], { env });
    expect(r.stderr).toBe(
      `keywarden: note: IAM side of an outside account not read: ${PARTNER}: account ${PARTNER} was named in --accounts but is not in the Organization of account 123456789012; check the account id\n`,
    );
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`Reach: CROSS-ACCOUNT: principals outside ${prod} get access (named accounts: ${PARTNER}).`);
    expect(out).toMatch(
      new RegExp(
        `user alice: kms:DisableKey denied by SCP DenyKeyDisable \\(statement "NoKeyDisable", attached to ${prod}\\)`,
      ),
    );
    expect(out).toContain('Reach under RCPs: CROSS-ACCOUNT by the key policy, INTERNAL in fact.');
    expect(out).toMatch(
      new RegExp(
        `arn:aws:iam::${PARTNER}:root: denied by RCP KmsDataPerimeter \\(statement "RCPEnforceIdentityPerimeter", attached to r-`,
      ),
    );
    // alice keeps her other administration actions, and her use of the key is not conditional (she is in the org).
    const use = out.slice(out.indexOf('Who can use the key (cryptographic operations), as users and roles:'));
    expect(use).toMatch(/- user alice\n/);
  });
});

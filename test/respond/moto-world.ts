/**
 * moto (python3 -m moto.server) for the exposed-key tests: IAM, STS and SNS through the real SDK. AWS managed
 * policies are loaded (MOTO_IAM_LOAD_MANAGED_POLICIES) so the quarantine policy can be attached; moto 5.2 knows
 * AWSCompromisedKeyQuarantineV3 but not V4, which exercises the fallback.
 */
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';

export { MOTO_SKIP_MESSAGE, motoAvailable };

/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface MotoWorld {
  moto: MotoServer;
  endpoint: string;
  iam: IAMClient;
  sts: STSClient;
  sns: SNSClient;
  createUserWithKey(userName: string): Promise<string>;
  createRole(roleName: string): Promise<string>;
  keyStatus(userName: string, accessKeyId: string): Promise<string>;
  attachedPolicies(userName: string): Promise<string[]>;
  rolePolicy(roleName: string, policyName: string): Promise<string | undefined>;
  userPolicy(userName: string, policyName: string): Promise<string | undefined>;
}

const decoded = (document: string | undefined) => (document ? decodeURIComponent(document) : undefined);

export const startMotoWorld = async (): Promise<MotoWorld> => {
  process.env.MOTO_IAM_LOAD_MANAGED_POLICIES = 'true';
  const moto = await startMoto();
  const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: TEST_CREDENTIALS };
  const iam = new IAMClient(config);
  const sts = new STSClient(config);
  const sns = new SNSClient(config);
  return {
    moto,
    endpoint: moto.endpoint,
    iam,
    sts,
    sns,
    async createUserWithKey(userName) {
      await iam.send(new CreateUserCommand({ UserName: userName }));
      const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      return created.AccessKey?.AccessKeyId as string;
    },
    async createRole(roleName) {
      const trust = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
        ],
      };
      const role = await iam.send(
        new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }),
      );
      return role.Role?.Arn as string;
    },
    async keyStatus(userName, accessKeyId) {
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      return keys.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status ?? 'deleted';
    },
    async attachedPolicies(userName) {
      const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
      return (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn as string);
    },
    async rolePolicy(roleName, policyName) {
      try {
        const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
        return decoded(policy.PolicyDocument);
      } catch {
        return undefined;
      }
    },
    async userPolicy(userName, policyName) {
      try {
        const policy = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
        return decoded(policy.PolicyDocument);
      } catch {
        return undefined;
      }
    },
  };
};

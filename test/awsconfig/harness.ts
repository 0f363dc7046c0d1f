/**
 * Mocks for the Config rule tests (aws-sdk-client-mock): Config, KMS, S3, SSM and STS clients answering with the
 * fixtures, and a record of every command sent, as IAM actions (`kms:GetKeyPolicy`), for the permission checks.
 */
import { readFileSync } from 'node:fs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  KMSServiceException,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const KEY = '5ce7a610-0000-4000-8000-000000000003';

const TIMESTAMPS = new Set([
  'CreationDate',
  'configurationItemCaptureTime',
  'resourceCreationTime',
  'OrderingTimestamp',
  'ResultRecordedTime',
  'ConfigRuleInvokedTime',
]);

// biome-ignore lint/suspicious/noExplicitAny: fixtures are AWS response shapes
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'), (member, value) =>
    TIMESTAMPS.has(member) && typeof value === 'string' ? new Date(value) : value,
  ) as T;
}

/** A Config event fixture, with its rule parameters and result token replaced when given. */
export function event(name: string, change: { parameters?: Record<string, unknown>; resultToken?: string } = {}) {
  const e = JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
  if (change.parameters) e.ruleParameters = JSON.stringify(change.parameters);
  if (change.resultToken) e.resultToken = change.resultToken;
  return e;
}

/** A scenario snapshot of test/config/scenarios as KMS would answer for it. */
export const scenario = (file: string) =>
  JSON.parse(readFileSync(new URL(`../config/scenarios/${file}`, import.meta.url), 'utf8'));

const PREFIX: Record<string, string> = {
  KMSClient: 'kms',
  ConfigServiceClient: 'config',
  S3Client: 's3',
  SSMClient: 'ssm',
  STSClient: 'sts',
};

export const kmsError = (name: string, message: string) =>
  new KMSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

export interface Estate {
  /** Key ids and the scenario snapshot each answers with (periodic scans list them all). */
  keys: Map<string, ReturnType<typeof scenario>>;
  policyDenied: Set<string>;
  listKeysDenied: boolean;
}

export function mockAws(estate: Partial<Estate> = {}) {
  const keys = estate.keys ?? new Map([[KEY, scenario('3-kms-star.json')]]);
  const config = mockClient(ConfigServiceClient);
  const kms = mockClient(KMSClient);
  const s3 = mockClient(S3Client);
  const ssm = mockClient(SSMClient);
  const sts = mockClient(STSClient);
  const clients = { config, kms, s3, ssm, sts };

  const idOf = (keyId: string | undefined) => (keyId ?? '').split('/').pop() ?? '';
  const known = (keyId: string | undefined) => {
    const snap = keys.get(idOf(keyId));
    if (!snap) throw new NotFoundException({ $metadata: {}, message: `Key '${keyId}' does not exist` });
    return snap;
  };
  const dated = <T>(v: T): T =>
    JSON.parse(JSON.stringify(v), (k, x) => (k === 'CreationDate' && typeof x === 'number' ? new Date(x * 1000) : x));

  sts.on(GetCallerIdentityCommand).resolves({
    UserId: 'AROAEXAMPLEID:keywarden-config-rule',
    Account: ACCOUNT,
    Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/keywarden-config-rule/keywarden`,
  });
  kms.on(ListKeysCommand).callsFake((input: { Marker?: string; Limit?: number }) => {
    if (estate.listKeysDenied)
      throw kmsError(
        'AccessDeniedException',
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/keywarden-config-rule/keywarden is not authorized to perform: kms:ListKeys`,
      );
    const all = [...keys.keys()];
    const start = Number(input.Marker ?? 0);
    const end = Math.min(all.length, start + (input.Limit ?? 100));
    return {
      Keys: all.slice(start, end).map((id) => ({ KeyId: id, KeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}` })),
      Truncated: end < all.length,
      ...(end < all.length ? { NextMarker: String(end) } : {}),
    };
  });
  kms.on(ListAliasesCommand).callsFake((input: { KeyId?: string }) => {
    const entries = input.KeyId ? [[idOf(input.KeyId), known(input.KeyId)] as const] : [...keys.entries()];
    return {
      Aliases: entries.flatMap(([id, s]) => s.ListAliases.Aliases.map((a: object) => ({ ...a, TargetKeyId: id }))),
      Truncated: false,
    };
  });
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => dated(known(input.KeyId).DescribeKey));
  kms.on(GetKeyPolicyCommand).callsFake((input: { KeyId: string }) => {
    const snap = known(input.KeyId);
    if (estate.policyDenied?.has(idOf(input.KeyId)))
      throw kmsError(
        'AccessDeniedException',
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/keywarden-config-rule/keywarden is not authorized to perform: kms:GetKeyPolicy on resource: arn:aws:kms:${REGION}:${ACCOUNT}:key/${idOf(input.KeyId)} because no resource-based policy allows the kms:GetKeyPolicy action`,
      );
    return snap.GetKeyPolicy;
  });
  kms.on(ListGrantsCommand).callsFake((input: { KeyId: string }) => {
    known(input.KeyId);
    return idOf(input.KeyId) === KEY ? fixture('kms-list-grants') : { Grants: [], Truncated: false };
  });
  kms.on(ListResourceTagsCommand).callsFake((input: { KeyId: string }) => known(input.KeyId).ListResourceTags);
  kms.on(GetKeyRotationStatusCommand).callsFake((input: { KeyId: string }) => known(input.KeyId).GetKeyRotationStatus);

  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(GetResourceConfigHistoryCommand).resolves(fixture('config-get-resource-config-history'));
  config
    .on(GetComplianceDetailsByConfigRuleCommand)
    .callsFake((input: { NextToken?: string }) =>
      fixture(input.NextToken ? 'config-get-compliance-details-page2' : 'config-get-compliance-details-page1'),
    );

  return {
    ...clients,
    /** The evaluations of every PutEvaluations call, one array per call. */
    putCalls: () =>
      config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input as PutEvaluationsCommandInput),
    /** Every command sent, as the IAM action it needs. */
    actions: () =>
      new Set(
        Object.entries(clients).flatMap(([, mock]) =>
          mock.calls().map((call) => {
            const command = call.args[0] as { constructor: { name: string } };
            const client = (call.thisValue as { constructor: { name: string } } | undefined)?.constructor.name ?? '';
            return `${PREFIX[client] ?? client}:${command.constructor.name.replace(/Command$/, '')}`;
          }),
        ),
      ),
    s3Text(text: string) {
      // The part of the SDK's streaming body the reader uses.
      s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => text } } as never);
    },
    ssmText(text: string) {
      ssm
        .on(GetParameterCommand)
        .resolves({ Parameter: { Name: '/keywarden/config', Type: 'String', Value: text, Version: 3 } });
    },
    restore() {
      for (const mock of Object.values(clients)) mock.restore();
    },
  };
}

/** Environment of a test: static example credentials, no shared files, no instance metadata. */
export const TEST_ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: undefined,
  AWS_CONFIG_FILE: '/nonexistent/keywarden-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/keywarden-test/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: undefined,
  CONFIG_LOCATION: undefined,
};

export function withEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (vars: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(vars)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

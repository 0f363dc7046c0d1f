/**
 * AWS Config custom rule (AWS::KMS::Key): wiring only. Picks the AWS implementations (Config, KMS, S3, SSM clients,
 * the region collector of src/sources/aws) and hands the event to the use case in src/app/config-rule.ts.
 * Environment: AWS_REGION (set by Lambda), CONFIG_LOCATION (the stack's ConfigLocation, may be empty).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CONFIG_RULE_PERMISSIONS, type ConfigRuleDeps, runConfigRule } from '../app/config-rule';
import { evaluatedResources, latestItem, putEvaluations } from '../sinks/awsconfig/config-api';
import { readKeyLive } from '../sinks/awsconfig/key-reader';
import { readConfigLocation } from '../sinks/awsconfig/location';
import { collectAws } from '../sources/aws';

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

/** The AWS implementations for one region; clients are made on first use and kept across invocations. */
export function configRuleDeps(env: NodeJS.ProcessEnv = process.env): ConfigRuleDeps {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const config = once(() => new ConfigServiceClient({ region }));
  const kms = once(() => new KMSClient({ region }));
  const s3 = once(() => new S3Client({ region }));
  const ssm = once(() => new SSMClient({ region }));
  return {
    readLocation: (location) => readConfigLocation(location, { s3, ssm }),
    latestItem: (resourceType, resourceId) => latestItem(config(), resourceType, resourceId),
    readKey: (keyId, _region, fields) => readKeyLive(kms(), keyId, fields),
    scanRegion: () => collectAws({ regions: [region] }),
    evaluatedResources: (ruleName) => evaluatedResources(config(), ruleName),
    putEvaluations: (evaluations, token) => putEvaluations(config(), evaluations, token),
    now: () => new Date(),
    defaultLocation: env.CONFIG_LOCATION || undefined,
    log: (line) => console.warn(line),
  };
}

/** The AWS actions this function sends: its role in deploy/template.yaml grants exactly these (test/deploy). */
export const permissions = CONFIG_RULE_PERMISSIONS;

let deps: ConfigRuleDeps | undefined;

export const handler = async (event: unknown) => {
  deps ??= configRuleDeps();
  const result = await runConfigRule(event, deps);
  const counts: Record<string, number> = {};
  for (const e of result.evaluations) counts[e.ComplianceType] = (counts[e.ComplianceType] ?? 0) + 1;
  console.log(JSON.stringify({ messageType: result.messageType, evaluations: counts }));
  return { messageType: result.messageType, evaluations: counts };
};

/**
 * The AWS Config custom rule for AWS::KMS::Key: a Config event in, evaluations out. The same analysis as
 * `keywarden scan`; only the source (a configuration item plus live reads, or the whole region) and the sink
 * (PutEvaluations) differ. The Lambda handler passes the AWS implementations in (ConfigRuleDeps).
 *
 * - ConfigurationItemChangeNotification: the item's key, with the policy, grants and aliases read live.
 * - OversizedConfigurationItemChangeNotification: the same, with the item fetched by GetResourceConfigHistory.
 * - ScheduledNotification: every key of the region (the collector of src/sources/aws); keys this rule evaluated
 *   before that no longer exist become NOT_APPLICABLE (only when the region was read without a gap).
 *
 * Invalid rule parameters or an unreadable keywarden.yaml throw before any evaluation is sent: never a COMPLIANT
 * from a configuration nobody could read.
 */

import { type KeywardenConfig, toAnalysisOptions } from '../config';
import type { Gap } from '../kms/snapshot';
import { type RawSnapshot, SNAPSHOT_FORMAT } from '../kms/snapshot-format';
import { readSnapshotRecord } from '../kms/snapshot-read';
import { type AnalysisOptions, analyseKey } from '../rules/engine';
import { RULES } from '../rules/registry';
import { batches, type Evaluation, evaluationOf, notApplicable } from '../sinks/awsconfig/evaluations';
import { type ConfigRuleEvent, type ConfigurationItem, parseConfigRuleEvent } from '../sinks/awsconfig/event';
import { GONE_STATUSES, KMS_KEY, type LiveField, snapshotFieldsOf } from '../sinks/awsconfig/item';
import { configFrom, readRuleParameters, withOverrides } from '../sinks/awsconfig/parameters';

export interface ConfigRuleDeps {
  /** keywarden.yaml text at a ConfigLocation (s3://..., ssm:/...); throws with an actionable message. */
  readLocation(location: string): Promise<string>;
  /** The latest configuration item of a resource (oversized notifications); undefined when Config has none. */
  latestItem(resourceType: string, resourceId: string): Promise<ConfigurationItem | undefined>;
  /** Live reads of a key, as snapshot fields (`{error}` for a failed call). */
  readKey(keyId: string, region: string, fields: readonly LiveField[]): Promise<Partial<RawSnapshot>>;
  /** Every key of the Lambda's account and region, as the collector reads them. */
  scanRegion(): AsyncIterable<{ raw: RawSnapshot } | Gap>;
  /** Resources this rule last evaluated COMPLIANT or NON_COMPLIANT. */
  evaluatedResources(configRuleName: string): Promise<Array<{ resourceType: string; resourceId: string }>>;
  /** One PutEvaluations call (at most 100 evaluations); the TESTMODE token is the adapter's business. */
  putEvaluations(evaluations: Evaluation[], resultToken: string): Promise<void>;
  now(): Date;
  /** The stack's ConfigLocation, used when the rule parameters name none. */
  defaultLocation?: string;
  log?(line: string): void;
}

export interface ConfigRuleResult {
  messageType: string;
  evaluations: Evaluation[];
  /** What could not be read (periodic runs); non-empty means the run also threw. */
  gaps: string[];
}

export class ConfigRuleError extends Error {}

/**
 * Every AWS action the rule's Lambda sends: what its rules declare, the periodic region scan (the collector of
 * src/sources/aws: docs/permissions.md, ListKeysAndAliases + ReadEachKey + sts:GetCallerIdentity), AWS Config, and
 * the keywarden.yaml location. test/awsconfig checks it against every command sent in mocked runs, and test/deploy
 * against the function's role in deploy/template.yaml.
 */
export const CONFIG_RULE_PERMISSIONS: readonly string[] = [
  ...new Set([
    ...RULES.flatMap((r) => r.permissions),
    'kms:ListKeys',
    'kms:ListAliases',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:ListGrants',
    'kms:ListResourceTags',
    'kms:GetKeyRotationStatus',
    'sts:GetCallerIdentity',
    'config:PutEvaluations',
    'config:GetResourceConfigHistory',
    'config:GetComplianceDetailsByConfigRule',
    's3:GetObject',
    'ssm:GetParameter',
  ]),
].sort();

/** Rule parameters and keywarden.yaml -> the engine's options, or a ConfigRuleError naming every problem. */
export async function optionsFor(event: ConfigRuleEvent, deps: ConfigRuleDeps): Promise<AnalysisOptions> {
  const params = readRuleParameters(event.parameters);
  if (!params.ok) throw new ConfigRuleError(`invalid rule parameters (InputParameters): ${params.errors.join('; ')}`);
  const { inline, overrides } = params.value;
  const location = params.value.location ?? (deps.defaultLocation || undefined);
  let base: ReturnType<typeof configFrom>;
  if (inline !== undefined) base = configFrom(inline, 'rule parameter Config');
  else if (location !== undefined) base = configFrom(await deps.readLocation(location), location);
  else base = configFrom('', 'defaults');
  if (!base.ok) throw new ConfigRuleError(`invalid keywarden.yaml: ${base.errors.join('; ')}`);
  const merged = withOverrides(base.config, overrides);
  if (!merged.ok) throw new ConfigRuleError(`invalid rule parameters (InputParameters): ${merged.errors.join('; ')}`);
  return toAnalysisOptions(merged.config satisfies KeywardenConfig, deps.now());
}

const rotationApplies = (metadata: Record<string, unknown> | undefined): boolean =>
  metadata !== undefined &&
  (metadata.KeySpec ?? metadata.CustomerMasterKeySpec) === 'SYMMETRIC_DEFAULT' &&
  metadata.Origin === 'AWS_KMS';

const metadataOf = (fields: Partial<RawSnapshot>): Record<string, unknown> | undefined => {
  const d = fields.DescribeKey as { KeyMetadata?: Record<string, unknown> } | undefined;
  return d?.KeyMetadata;
};

/** The item's key as a snapshot: the item's fields, then live reads of what it lacks. */
async function snapshotOfItem(item: ConfigurationItem, deps: ConfigRuleDeps) {
  const fields = snapshotFieldsOf(item);
  const first = (['DescribeKey', 'GetKeyPolicy', 'ListGrants', 'ListAliases', 'ListResourceTags'] as const).filter(
    (f) => fields[f] === undefined,
  );
  Object.assign(fields, await deps.readKey(item.resourceId, item.awsRegion, first));
  // Rotation applies to symmetric keys with KMS key material only; asking for others is an error, not data.
  if (fields.GetKeyRotationStatus === undefined && rotationApplies(metadataOf(fields)))
    Object.assign(fields, await deps.readKey(item.resourceId, item.awsRegion, ['GetKeyRotationStatus']));
  const raw = {
    format: SNAPSHOT_FORMAT,
    account: item.awsAccountId,
    region: item.awsRegion,
    collectedAt: deps.now().toISOString(),
    ...fields,
  } as RawSnapshot;
  const { snapshot, errors } = readSnapshotRecord(raw, { kind: 'aws' });
  for (const e of errors) deps.log?.(`key ${item.resourceId}: ${e.message} (at ${e.pointer})`);
  return snapshot.metadata.ok || !item.ARN ? snapshot : { ...snapshot, arn: item.ARN };
}

async function evaluateItem(
  item: ConfigurationItem,
  event: ConfigRuleEvent,
  options: AnalysisOptions,
  deps: ConfigRuleDeps,
): Promise<Evaluation> {
  const at = new Date(item.configurationItemCaptureTime);
  if (item.resourceType !== KMS_KEY)
    return notApplicable(
      item.resourceId,
      `keywarden judges AWS::KMS::Key only, not ${item.resourceType}: scope the rule to AWS::KMS::Key`,
      at,
      item.resourceType,
    );
  if (event.eventLeftScope) return notApplicable(item.resourceId, "the key left the rule's scope", at);
  if (GONE_STATUSES.has(item.configurationItemStatus))
    return notApplicable(item.resourceId, `the key is gone (${item.configurationItemStatus})`, at);
  const snapshot = await snapshotOfItem(item, deps);
  return evaluationOf(analyseKey(snapshot, options), at, item.resourceId);
}

async function changeTriggered(
  event: ConfigRuleEvent,
  options: AnalysisOptions,
  deps: ConfigRuleDeps,
): Promise<Evaluation[]> {
  const invoking = event.invoking;
  if (invoking.messageType === 'ConfigurationItemChangeNotification')
    return [await evaluateItem(invoking.configurationItem, event, options, deps)];
  if (invoking.messageType !== 'OversizedConfigurationItemChangeNotification') return [];
  const summary = invoking.configurationItemSummary;
  const item = await deps.latestItem(summary.resourceType, summary.resourceId);
  if (!item)
    throw new ConfigRuleError(
      `AWS Config has no configuration item for ${summary.resourceType} ${summary.resourceId} (oversized notification): nothing to evaluate`,
    );
  // The summary's capture time orders this evaluation, whatever item the history returned.
  return [
    await evaluateItem(
      { ...item, configurationItemCaptureTime: summary.configurationItemCaptureTime },
      event,
      options,
      deps,
    ),
  ];
}

async function periodic(
  event: ConfigRuleEvent,
  options: AnalysisOptions,
  deps: ConfigRuleDeps,
): Promise<{ evaluations: Evaluation[]; gaps: string[] }> {
  if (event.invoking.messageType !== 'ScheduledNotification') return { evaluations: [], gaps: [] };
  const at = new Date(event.invoking.notificationCreationTime);
  const evaluations: Evaluation[] = [];
  const gaps: string[] = [];
  const seen = new Set<string>();
  for await (const item of deps.scanRegion()) {
    if ('gap' in item) {
      gaps.push([item.account, item.region, item.key, item.reason].filter(Boolean).join(' '));
      continue;
    }
    const { snapshot } = readSnapshotRecord(item.raw, { kind: 'aws' });
    const report = analyseKey(snapshot, options);
    const evaluation = evaluationOf(report, at);
    seen.add(evaluation.ComplianceResourceId);
    evaluations.push(evaluation);
  }
  if (gaps.length === 0) {
    for (const r of await deps.evaluatedResources(event.configRuleName)) {
      if (r.resourceType !== KMS_KEY || seen.has(r.resourceId)) continue;
      evaluations.push(notApplicable(r.resourceId, 'the key no longer exists in this region', at));
    }
  }
  return { evaluations, gaps };
}

/** Handles one AWS Config rule event: evaluates, sends the evaluations in batches of 100, returns them. */
export async function runConfigRule(rawEvent: unknown, deps: ConfigRuleDeps): Promise<ConfigRuleResult> {
  const parsed = parseConfigRuleEvent(rawEvent);
  if (!parsed.ok) throw new ConfigRuleError(parsed.error);
  const event = parsed.event;
  const options = await optionsFor(event, deps);
  const { evaluations, gaps } =
    event.invoking.messageType === 'ScheduledNotification'
      ? await periodic(event, options, deps)
      : { evaluations: await changeTriggered(event, options, deps), gaps: [] };
  for (const batch of batches(evaluations)) await deps.putEvaluations(batch, event.resultToken);
  const result = { messageType: event.invoking.messageType, evaluations, gaps };
  if (gaps.length > 0)
    throw new ConfigRuleError(
      `evaluated ${evaluations.length} key(s), but could not read everything (keys that no longer exist were not marked NOT_APPLICABLE): ${gaps.join('; ')}`,
    );
  return result;
}

/**
 * The AWS Config calls of the rule: PutEvaluations (batches of at most 100, TestMode for the TESTMODE token),
 * GetResourceConfigHistory (the full item of an oversized notification) and GetComplianceDetailsByConfigRule (the
 * keys this rule evaluated before, for the periodic run).
 */
import {
  type ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type PutEvaluationsCommandOutput,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { errorCode, errorMessage } from './aws-json';
import { type Evaluation, MAX_EVALUATIONS_PER_CALL } from './evaluations';
import type { ConfigurationItem } from './event';
import { fromApiItem } from './item';

/** The result token of a test invocation (AWS Config's sample functions and the RDK use it). */
export const TEST_MODE_TOKEN = 'TESTMODE';

export class ConfigApiError extends Error {}

export async function putEvaluations(
  client: ConfigServiceClient,
  evaluations: Evaluation[],
  resultToken: string,
): Promise<void> {
  if (evaluations.length > MAX_EVALUATIONS_PER_CALL)
    throw new ConfigApiError(
      `PutEvaluations takes at most ${MAX_EVALUATIONS_PER_CALL} evaluations per call, got ${evaluations.length}`,
    );
  const testMode = resultToken === TEST_MODE_TOKEN;
  let out: PutEvaluationsCommandOutput;
  try {
    out = await client.send(
      new PutEvaluationsCommand({
        Evaluations: evaluations,
        ResultToken: resultToken,
        ...(testMode ? { TestMode: true } : {}),
      }),
    );
  } catch (error) {
    throw new ConfigApiError(
      `PutEvaluations failed (${errorCode(error)}: ${errorMessage(error)}); check that the rule's role allows config:PutEvaluations`,
    );
  }
  const failed = out.FailedEvaluations ?? [];
  if (failed.length > 0)
    throw new ConfigApiError(
      `AWS Config rejected ${failed.length} evaluation(s): ${failed.map((f) => f.ComplianceResourceId).join(', ')}`,
    );
}

/** The latest configuration item of a resource, in the event's shape; undefined when Config has none. */
export async function latestItem(
  client: ConfigServiceClient,
  resourceType: string,
  resourceId: string,
): Promise<ConfigurationItem | undefined> {
  try {
    const out = await client.send(
      new GetResourceConfigHistoryCommand({ resourceType: resourceType as ResourceType, resourceId, limit: 1 }),
    );
    const item = out.configurationItems?.[0];
    return item ? fromApiItem(item) : undefined;
  } catch (error) {
    if (errorCode(error) === 'ResourceNotDiscoveredException') return undefined;
    throw new ConfigApiError(
      `GetResourceConfigHistory for ${resourceType} ${resourceId} failed (${errorCode(error)}: ${errorMessage(error)}); check that the rule's role allows config:GetResourceConfigHistory`,
    );
  }
}

/** Resource ids this rule last evaluated COMPLIANT or NON_COMPLIANT. */
export async function evaluatedResources(
  client: ConfigServiceClient,
  configRuleName: string,
): Promise<Array<{ resourceType: string; resourceId: string }>> {
  const out: Array<{ resourceType: string; resourceId: string }> = [];
  let NextToken: string | undefined;
  try {
    for (let page = 0; page < 10_000; page++) {
      const result = await client.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: configRuleName,
          ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
          Limit: 100,
          NextToken,
        }),
      );
      for (const r of result.EvaluationResults ?? []) {
        const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (q?.ResourceId && q.ResourceType) out.push({ resourceType: q.ResourceType, resourceId: q.ResourceId });
      }
      NextToken = result.NextToken;
      if (!NextToken) break;
    }
  } catch (error) {
    throw new ConfigApiError(
      `GetComplianceDetailsByConfigRule for ${configRuleName} failed (${errorCode(error)}: ${errorMessage(error)}); check that the rule's role allows config:GetComplianceDetailsByConfigRule`,
    );
  }
  return out;
}

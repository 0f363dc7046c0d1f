/**
 * The AWS Config custom-rule event, parsed at the edge (zod): the Lambda event, its `invokingEvent` (a JSON string)
 * and `ruleParameters` (a JSON string). Shapes: AWS Config Developer Guide, "Example Events for AWS Config Rules"
 * and "Example Oversized Configuration Item Change Notification". Unknown fields are kept, never rejected.
 */
import { z } from 'zod';

/** A configuration item as an event delivers it (`configuration` already an object). */
export const configurationItemSchema = z.looseObject({
  configurationItemCaptureTime: z.string(),
  configurationItemStatus: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  awsAccountId: z.string(),
  awsRegion: z.string(),
  ARN: z.string().nullish(),
  resourceName: z.string().nullish(),
  configuration: z.record(z.string(), z.unknown()).nullish(),
  supplementaryConfiguration: z.record(z.string(), z.unknown()).nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
});
export type ConfigurationItem = z.infer<typeof configurationItemSchema>;

const changeNotification = z.looseObject({
  messageType: z.literal('ConfigurationItemChangeNotification'),
  configurationItem: configurationItemSchema,
  notificationCreationTime: z.string().optional(),
});

const oversizedNotification = z.looseObject({
  messageType: z.literal('OversizedConfigurationItemChangeNotification'),
  configurationItemSummary: z.looseObject({
    configurationItemCaptureTime: z.string(),
    configurationItemStatus: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    awsAccountId: z.string(),
    awsRegion: z.string(),
    ARN: z.string().nullish(),
  }),
  notificationCreationTime: z.string().optional(),
});

const scheduledNotification = z.looseObject({
  messageType: z.literal('ScheduledNotification'),
  awsAccountId: z.string(),
  notificationCreationTime: z.string(),
});

export const invokingEventSchema = z.discriminatedUnion('messageType', [
  changeNotification,
  oversizedNotification,
  scheduledNotification,
]);
export type InvokingEvent = z.infer<typeof invokingEventSchema>;

export const configRuleEventSchema = z.looseObject({
  invokingEvent: z.string(),
  ruleParameters: z.string().optional(),
  resultToken: z.string(),
  eventLeftScope: z.boolean().optional(),
  executionRoleArn: z.string().optional(),
  configRuleArn: z.string().optional(),
  configRuleName: z.string(),
  configRuleId: z.string().optional(),
  accountId: z.string(),
  version: z.string().optional(),
});

export interface ConfigRuleEvent {
  invoking: InvokingEvent;
  /** The rule's InputParameters, as the JSON object Config sends ({} when none). */
  parameters: Record<string, unknown>;
  resultToken: string;
  eventLeftScope: boolean;
  configRuleName: string;
  accountId: string;
}

const issues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');

function json(text: string, what: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `${what} is not JSON: ${(error as Error).message}` };
  }
}

/** Parses the Lambda event Config sends; an error says what is missing or malformed. */
export function parseConfigRuleEvent(
  event: unknown,
): { ok: true; event: ConfigRuleEvent } | { ok: false; error: string } {
  const outer = configRuleEventSchema.safeParse(event);
  if (!outer.success) return { ok: false, error: `not an AWS Config rule event: ${issues(outer.error)}` };
  const invokingText = json(outer.data.invokingEvent, 'invokingEvent');
  if (!invokingText.ok) return invokingText;
  const invoking = invokingEventSchema.safeParse(invokingText.value);
  if (!invoking.success)
    return {
      ok: false,
      error: `unsupported invokingEvent (this rule handles ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification and ScheduledNotification): ${issues(invoking.error)}`,
    };
  let parameters: Record<string, unknown> = {};
  const raw = outer.data.ruleParameters?.trim();
  if (raw) {
    const p = json(raw, "ruleParameters (the rule's InputParameters)");
    if (!p.ok) return p;
    if (typeof p.value !== 'object' || p.value === null || Array.isArray(p.value))
      return { ok: false, error: "ruleParameters (the rule's InputParameters) must be a JSON object" };
    parameters = p.value as Record<string, unknown>;
  }
  return {
    ok: true,
    event: {
      invoking: invoking.data,
      parameters,
      resultToken: outer.data.resultToken,
      eventLeftScope: outer.data.eventLeftScope ?? false,
      configRuleName: outer.data.configRuleName,
      accountId: outer.data.accountId,
    },
  };
}

/**
 * The schema of keywarden.yaml (zod v4). One definition: the loader validates with it, `keywarden config schema`
 * and schemas/keywarden-config.schema.json are generated from it, and each rule's own parameter schema is embedded
 * under `rules.<id>.params`. No transforms here (the JSON Schema must stay representable): normalising happens in
 * options.ts after validation.
 */
import { z } from 'zod';
import { SEVERITIES } from '../findings/types';
import { SUPPRESSION_EXPIRED } from '../rules/engine';
import { exemptionSchema } from '../rules/exempt-key/exemptions';
import { RULES } from '../rules/registry';
import { channelConfigSchema } from '../sinks/notify/config';

export const CONFIG_FILE_NAME = 'keywarden.yaml';

const need = (what: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? `missing: ${what}` : `expected text (${what}), got ${JSON.stringify(issue.input)}`,
});

/** Account ids are 12 digits; unquoted YAML numbers are accepted when they still have 12 digits. */
export const accountId = z
  .union([z.string(), z.number()])
  .superRefine((value, ctx) => {
    if (!/^\d{12}$/.test(String(value)))
      ctx.addIssue({
        code: 'custom',
        message: `not a 12-digit AWS account id: ${JSON.stringify(value)} (write ids in quotes, "012345678901", so leading zeros survive)`,
      });
  })
  .describe('A 12-digit AWS account id, in quotes.');

const organizationId = z
  .string()
  .regex(/^o-[a-z0-9]{10,32}$/, 'not an AWS Organizations id: expected o- and 10 to 32 lower-case letters or digits')
  .describe('An AWS Organizations id, o-...');

const orgPath = z
  .string()
  .regex(
    /^o-[a-z0-9]{10,32}\/r-[a-z0-9]{4,32}(\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})*\/?$/,
    'not an organization path: expected o-xxxx/r-xxxx/ou-xxxx-xxxxxxxx/ (as aws:PrincipalOrgPaths spells it)',
  )
  .describe('An organization path as in aws:PrincipalOrgPaths: o-.../r-.../ou-.../; its sub-paths are trusted too.');

const severity = z.enum(SEVERITIES as [string, ...string[]]).describe('critical, high, medium, low or info');

const principalGlob = z
  .string()
  .min(1)
  .describe(
    'A principal ARN glob (arn:aws:iam::111122223333:role/KeyAdmin*), a service principal (logs.amazonaws.com), or an aws:userid glob (AROAOTTER*). * and ? are wildcards; case-insensitive.',
  );

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

const ruleIds = RULES.map((r) => r.id) as [string, ...string[]];

export const suppressionSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^KW-[0-9a-f]{20}$/, 'a finding id looks like KW- and 20 hex digits (see the report)')
      .optional()
      .describe('The id of one finding (KW-...), as the report shows it.'),
    rule: z
      .enum(ruleIds, { error: () => `unknown rule id; known rules: ${ruleIds.join(', ')}` })
      .optional()
      .describe('A rule id: suppress its findings (on `resource`, or everywhere).'),
    resource: z
      .string()
      .min(1)
      .optional()
      .describe('Key ARN (or template logical id) glob, case-insensitive: arn:aws:kms:*:111122223333:key/*'),
    reason: z.string(need('why this finding is accepted')).min(1, 'the reason must not be empty'),
    owner: z.string(need('who renews or removes this suppression')).min(1, 'the owner must not be empty'),
    expires: z
      .string(need('the date it stops suppressing (YYYY-MM-DD)'))
      .regex(ISO_DATE, 'expires must be a date, YYYY-MM-DD (the end of that day, UTC), or an ISO date-time')
      .refine((v) => !Number.isNaN(Date.parse(v)), 'expires is not a real date')
      .describe('YYYY-MM-DD: suppresses until the end of that day (UTC); then the finding counts again.'),
  })
  .refine((s) => s.id !== undefined || s.rule !== undefined || s.resource !== undefined, {
    message: 'a suppression needs an id, or a rule and/or a resource glob',
  })
  .describe('A finding accepted for a while, with a reason, an owner and an expiry date.');

function ruleSettingSchema(parameters: z.ZodType) {
  return z
    .strictObject({
      enabled: z.boolean().optional().describe('false: the rule does not run.'),
      severity: severity.optional().describe('Overrides the default severity of the rule.'),
      params: parameters.optional().describe("The rule's parameters."),
    })
    .optional();
}

const rulesSchema = z
  .strictObject({
    ...Object.fromEntries(RULES.map((r) => [r.id, ruleSettingSchema(r.parameters).describe(r.title)])),
    [SUPPRESSION_EXPIRED.id]: z
      .strictObject({ severity: severity.optional() })
      .optional()
      .describe(SUPPRESSION_EXPIRED.title),
  })
  .describe('Which rules run, their parameters and severity overrides, by rule id.');

export const configSchema = z
  .strictObject({
    version: z.literal(1).optional().describe('Format version of this file: 1.'),
    trusted: z
      .strictObject({
        accounts: z.array(accountId).default([]).describe('Outside accounts allowed to share keys.'),
        organizations: z.array(organizationId).default([]).describe('Organizations whose callers are trusted.'),
        orgPaths: z.array(orgPath).default([]).describe('Organization units whose callers are trusted.'),
      })
      .optional()
      .describe('Who may share your keys. The command-line flags --trusted-account / --trusted-org add to these.'),
    exemptions: z
      .array(exemptionSchema)
      .default([])
      .describe('Keys outside your standard: reported COMPLIANT with the entry as the reason.'),
    administrators: z
      .array(principalGlob)
      .default([])
      .describe('Principals allowed to administer keys (rule admin-allowlist).'),
    keyUsers: z
      .array(principalGlob)
      .default([])
      .describe('Principals allowed to use keys (rule admin-allowlist; empty: not checked).'),
    keys: z
      .strictObject({
        disabled: z
          .enum(['report', 'fail', 'not-applicable'])
          .default('report')
          .describe(
            'A disabled key: report (an info finding, not a failure), fail (NON_COMPLIANT), not-applicable (NOT_APPLICABLE).',
          ),
      })
      .optional(),
    rules: rulesSchema.optional(),
    suppressions: z.array(suppressionSchema).default([]),
    notifications: z
      .strictObject({
        channels: z
          .array(channelConfigSchema)
          .default([])
          .describe('Where alerts go: SNS, SMTP, webhook, EventBridge.'),
      })
      .optional()
      .describe('Alert channels of the live watch, reconciliation and the exposed-key response.'),
    watch: z
      .strictObject({
        alertOn: severity.optional().describe('Lowest severity that alerts (default high).'),
        notifyResolved: z.boolean().optional().describe('Also tell when a finding is resolved (default true).'),
        ransom: z
          .strictObject({
            threshold: z
              .number()
              .int()
              .min(2)
              .optional()
              .describe('Keys one principal disables, schedules for deletion or locks out (default 3).'),
            windowMinutes: z.number().positive().optional().describe('Within this many minutes (default 10).'),
          })
          .optional(),
        reconcileRegions: z
          .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name'))
          .optional()
          .describe('Regions the scheduled reconciliation scans (default: the region it runs in).'),
      })
      .optional()
      .describe('The live watch: what alerts, the ransom pattern, reconciliation regions.'),
    response: z
      .strictObject({
        mode: z
          .enum(['notify', 'contain', 'contain-and-delete'])
          .optional()
          .describe(
            'Exposed access keys: notify (change nothing), contain (default: deactivate + quarantine), contain-and-delete.',
          ),
      })
      .optional()
      .describe('Defaults of `keywarden respond` (the deployed workflow takes its ResponseMode parameter).'),
  })
  .describe('keywarden.yaml: trusted parties, exemptions, administrators, rules and suppressions.');

export type KeywardenConfig = z.output<typeof configSchema>;

/**
 * The `channels` section of the configuration, as a zod schema: where alerts go. Secrets never sit in the file:
 * the SMTP password comes from the environment variable named by `passwordEnv`, and a webhook URL may too
 * (`urlEnv`).
 */
import { z } from 'zod';

const name = z.string().min(1).optional();
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable');

export const snsChannelSchema = z
  .object({
    type: z.literal('sns'),
    topicArn: z
      .string()
      .regex(/^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'must be an SNS topic ARN'),
    name,
  })
  .strict();

export const smtpChannelSchema = z
  .object({
    type: z.literal('smtp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** Defaults to true on port 465 (TLS from the start), else false (STARTTLS when offered). */
    secure: z.boolean().optional(),
    user: z.string().min(1).optional(),
    passwordEnv: envName.optional(),
    password: z
      .never({
        error:
          'do not put the SMTP password in the configuration: set passwordEnv to the name of an environment variable that holds it',
      })
      .optional(),
    from: z.string().min(3),
    to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
    name,
  })
  .strict()
  .refine((c) => !c.user || c.passwordEnv, {
    message: 'user is set but passwordEnv is not: name the environment variable that holds the SMTP password',
    path: ['passwordEnv'],
  });

export const webhookChannelSchema = z
  .object({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    urlEnv: envName.optional(),
    kind: z.enum(['slack', 'generic']).default('generic'),
    name,
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.urlEnv === undefined), {
    message: 'give exactly one of url and urlEnv (the name of an environment variable that holds the URL)',
    path: ['url'],
  });

export const eventBridgeChannelSchema = z
  .object({
    type: z.literal('eventbridge'),
    busName: z.string().min(1).default('default'),
    name,
  })
  .strict();

export const channelConfigSchema = z.discriminatedUnion('type', [
  snsChannelSchema,
  smtpChannelSchema,
  webhookChannelSchema,
  eventBridgeChannelSchema,
]);

export const notificationsConfigSchema = z.object({ channels: z.array(channelConfigSchema).default([]) });

export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type SnsChannelConfig = z.infer<typeof snsChannelSchema>;
export type SmtpChannelConfig = z.infer<typeof smtpChannelSchema>;
export type WebhookChannelConfig = z.infer<typeof webhookChannelSchema>;
export type EventBridgeChannelConfig = z.infer<typeof eventBridgeChannelSchema>;
export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

/** Parses the channels section; errors name the place (`channels/1/topicArn`) and say how to fix it. */
export function parseNotificationsConfig(
  input: unknown,
): { ok: true; value: NotificationsConfig } | { ok: false; errors: string[] } {
  const result = notificationsConfigSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map(
      (issue) => `${issue.path.length ? issue.path.join('/') : '(root)'}: ${issue.message}`,
    ),
  };
}

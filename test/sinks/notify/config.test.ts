import { describe, expect, it } from 'vitest';
import { channelConfigSchema, parseNotificationsConfig } from '../../../src/sinks/notify/config';
import { createChannels } from '../../../src/sinks/notify/create';

const valid = {
  channels: [
    { type: 'sns', topicArn: 'arn:aws:sns:us-east-1:111122223333:keywarden-alerts' },
    {
      type: 'smtp',
      host: 'email-smtp.eu-west-1.amazonaws.com',
      port: 465,
      user: 'AKIAEXAMPLEUSER',
      passwordEnv: 'KEYWARDEN_SMTP_PASSWORD',
      from: 'keywarden@example.com',
      to: 'security@example.com',
    },
    { type: 'webhook', url: 'https://hooks.slack.com/services/T000/B000/XXXX', kind: 'slack' },
    { type: 'webhook', urlEnv: 'GENERIC_HOOK_URL' },
    { type: 'eventbridge' },
  ],
};

describe('channels configuration', () => {
  it('accepts every channel type and fills the defaults', () => {
    const parsed = parseNotificationsConfig(valid);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [sns, smtp, slack, generic, bus] = parsed.value.channels;
    expect(sns).toEqual(valid.channels[0]);
    expect(smtp).toMatchObject({ type: 'smtp', port: 465, to: 'security@example.com' });
    expect(slack).toMatchObject({ kind: 'slack' });
    expect(generic).toMatchObject({ kind: 'generic', urlEnv: 'GENERIC_HOOK_URL' });
    expect(bus).toEqual({ type: 'eventbridge', busName: 'default' });
    expect(parseNotificationsConfig({})).toEqual({ ok: true, value: { channels: [] } });
  });

  it('builds one channel per entry, with non-secret names', () => {
    const parsed = parseNotificationsConfig(valid);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const names = createChannels(parsed.value.channels, {
      env: { GENERIC_HOOK_URL: 'https://example.com/hook/s3cr3t' },
    }).map((c) => c.name);
    expect(names).toEqual([
      'sns:arn:aws:sns:us-east-1:111122223333:keywarden-alerts',
      'smtp:email-smtp.eu-west-1.amazonaws.com:465',
      'webhook:https://hooks.slack.com/…',
      'webhook:https://example.com/…',
      'eventbridge:default',
    ]);
  });

  it('refuses an SMTP password written into the file, and a user without passwordEnv', () => {
    const inline = parseNotificationsConfig({
      channels: [
        {
          type: 'smtp',
          host: 'smtp.example.com',
          user: 'u',
          password: 'hunter2',
          passwordEnv: 'P',
          from: 'a@b.c',
          to: 'd@e.f',
        },
      ],
    });
    expect(inline.ok).toBe(false);
    if (!inline.ok) {
      expect(inline.errors.join('\n')).toContain(
        'channels/0/password: do not put the SMTP password in the configuration',
      );
      expect(inline.errors.join('\n')).not.toContain('hunter2');
    }
    const noEnv = parseNotificationsConfig({
      channels: [{ type: 'smtp', host: 'smtp.example.com', user: 'u', from: 'a@b.c', to: 'd@e.f' }],
    });
    expect(noEnv.ok).toBe(false);
    if (!noEnv.ok)
      expect(noEnv.errors).toEqual([
        expect.stringContaining('channels/0/passwordEnv: user is set but passwordEnv is not'),
      ]);
  });

  it('names the place and the problem of each bad entry', () => {
    const parsed = parseNotificationsConfig({
      channels: [
        { type: 'sns', topicArn: 'arn:aws:sqs:us-east-1:111122223333:queue' },
        { type: 'webhook', url: 'ftp://example.com/hook' },
        { type: 'webhook', kind: 'slack' },
        { type: 'pagerduty' },
        { type: 'eventbridge', busName: 'default', region: 'us-east-1' },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const errors = parsed.errors.join('\n');
    expect(errors).toContain('channels/0/topicArn: must be an SNS topic ARN');
    expect(errors).toContain('channels/1/url: must be an http(s) URL');
    expect(errors).toContain('channels/2/url: give exactly one of url and urlEnv');
    expect(errors).toMatch(/channels\/3\/type: /);
    expect(errors).toMatch(/channels\/4: .*region/);
  });

  it('accepts the GovCloud and China partitions in topic ARNs', () => {
    for (const arn of [
      'arn:aws-us-gov:sns:us-gov-west-1:111122223333:alerts',
      'arn:aws-cn:sns:cn-north-1:111122223333:alerts.fifo',
    ]) {
      expect(channelConfigSchema.safeParse({ type: 'sns', topicArn: arn }).success).toBe(true);
    }
  });
});

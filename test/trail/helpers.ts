/**
 * Test events built from the real record templates in fixtures/templates: only the values a case is about change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CloudTrailEvent, parseCloudTrailEvent } from '../../src/trail/detect/event';

const TEMPLATES = join(import.meta.dirname, 'fixtures/templates');

export const template = (name: string): Record<string, unknown> => {
  const parsed = JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8'));
  return Array.isArray(parsed) ? parsed[0] : parsed;
};

/** Parse a raw record that must be valid. */
export const event = (record: Record<string, unknown>): CloudTrailEvent => {
  const parsed = parseCloudTrailEvent(record);
  if (!parsed.ok) throw new Error(`test event is invalid: ${parsed.reason}`);
  return parsed.event;
};

let counter = 0;
/** A template with overrides, a fresh eventID, and the key (ARN) it acts on when given. */
export const fromTemplate = (name: string, overrides: Record<string, unknown> = {}, key?: string): CloudTrailEvent => {
  const base = template(name);
  const record: Record<string, unknown> = { ...base, eventID: `test-${++counter}`, ...overrides };
  if (key) {
    record.resources = [{ accountId: key.split(':')[4], type: 'AWS::KMS::Key', ARN: key }];
    record.requestParameters = { ...(record.requestParameters as object), keyId: key };
  }
  return event(record);
};

/** The AssumedRole identity of a role session (the Panther/AWS shape), for "many sessions of one role" cases. */
export const roleIdentity = (account: string, role: string, session: string) => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLE${role.toUpperCase()}:${session}`,
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
  accountId: account,
  accessKeyId: `ASIA${session.toUpperCase().padEnd(16, 'X').slice(0, 16)}`,
  sessionContext: {
    attributes: { mfaAuthenticated: 'false', creationDate: '2024-06-01T00:00:00Z' },
    sessionIssuer: {
      type: 'Role',
      principalId: `AROAEXAMPLE${role.toUpperCase()}`,
      arn: `arn:aws:iam::${account}:role/${role}`,
      accountId: account,
      userName: role,
    },
  },
});

export const keyArn = (account: string, n: number, region = 'us-east-1') =>
  `arn:aws:kms:${region}:${account}:key/${n.toString(16).padStart(8, '0')}-12ab-34cd-56ef-1234567890ab`;

export const time = (hhmmss: string) => `2024-06-01T${hhmmss}Z`;

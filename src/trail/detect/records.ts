/**
 * The records inside one parsed JSON value, in the shapes CloudTrail logs come in: the S3 delivery format
 * (`{"Records": [...]}`), a JSON array of records, one record, or one EventBridge envelope. Validation of each
 * record is parseCloudTrailEvent's job; this only finds them.
 */

export type RecordsOf = { ok: true; records: unknown[] } | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const recordsOf = (value: unknown): RecordsOf => {
  if (Array.isArray(value)) return { ok: true, records: value };
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object or array' };
  if ('Records' in value) {
    return Array.isArray(value.Records)
      ? { ok: true, records: value.Records }
      : { ok: false, reason: '"Records" is not an array' };
  }
  if ('eventName' in value || 'eventTime' in value || 'detail-type' in value) return { ok: true, records: [value] };
  return {
    ok: false,
    reason: `no CloudTrail records: expected a "Records" array or an event with eventName and eventTime (found keys ${Object.keys(
      value,
    )
      .slice(0, 5)
      .join(', ')})`,
  };
};

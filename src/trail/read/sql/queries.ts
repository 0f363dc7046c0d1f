/**
 * The SQL of each investigation, written once in the dialect Athena (Trino) and DuckDB share: DuckDB gets the two
 * Presto functions it lacks as macros (schema.ts). The WHERE clause of each is the SQL form of the investigation's
 * record filter (detect/run.ts mayMatter): a superset, the investigation itself then decides.
 */
import { KMS_CRYPTO_OPERATIONS } from '../../detect/fields';
import type { EventQuery } from '../../detect/run';
import { isoSeconds } from '../../detect/time';

/** The columns every investigation reads; rows.ts turns a row back into a CloudTrail record. */
export const SELECT_COLUMNS = [
  'eventversion',
  'eventtime',
  'eventsource',
  'eventname',
  'awsregion',
  'sourceipaddress',
  'useragent',
  'errorcode',
  'errormessage',
  'useridentity.type AS identity_type',
  'useridentity.principalid AS identity_principalid',
  'useridentity.arn AS identity_arn',
  'useridentity.accountid AS identity_accountid',
  'useridentity.accesskeyid AS identity_accesskeyid',
  'useridentity.username AS identity_username',
  'useridentity.invokedby AS identity_invokedby',
  'useridentity.sessioncontext.sessionissuer.type AS issuer_type',
  'useridentity.sessioncontext.sessionissuer.principalid AS issuer_principalid',
  'useridentity.sessioncontext.sessionissuer.arn AS issuer_arn',
  'useridentity.sessioncontext.sessionissuer.accountid AS issuer_accountid',
  'useridentity.sessioncontext.sessionissuer.username AS issuer_username',
  'requestparameters',
  'responseelements',
  'requestid',
  'eventid',
  'sharedeventid',
  'readonly',
  'eventtype',
  'recipientaccountid',
  'json_format(CAST(resources AS JSON)) AS resources_json',
];

export const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const list = (values: Iterable<string>): string => [...values].map(sqlString).join(', ');

const KMS = sqlString('kms.amazonaws.com');
const EXPOSURE_EVENTS = ['PutKeyPolicy', 'CreateKey', 'CreateGrant', 'RevokeGrant', 'RetireGrant'];
const RANSOM_EVENTS = ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'];

const SAFE_VALUE = /^[A-Za-z0-9:/_.+=,@-]{1,256}$/;

export type QuerySql = { ok: true; sql: string } | { ok: false; reason: string };

/** The WHERE conditions of a query (without the time window). */
export const investigationConditions = (query: EventQuery): QuerySql => {
  for (const value of [...(query.accessKeyIds ?? []), query.username, query.key]) {
    if (value !== undefined && !SAFE_VALUE.test(value)) {
      return { ok: false, reason: `"${value}" is not a key, access key id or user name` };
    }
  }
  switch (query.investigation) {
    case 'exposures':
      return { ok: true, sql: `eventsource = ${KMS} AND eventname IN (${list(EXPOSURE_EVENTS)})` };
    case 'ransom':
      return { ok: true, sql: `eventsource = ${KMS} AND eventname IN (${list(RANSOM_EVENTS)})` };
    case 'outsiders':
      // Records in the key owner's trail of a caller from another account (the caller's own copy is not "your key").
      return {
        ok: true,
        sql: `eventsource = ${KMS} AND eventname IN (${list(KMS_CRYPTO_OPERATIONS)}) AND (recipientaccountid IS NULL OR useridentity.accountid IS NULL OR useridentity.accountid <> recipientaccountid)`,
      };
    case 'key': {
      if (!query.key) return { ok: false, reason: 'the key investigation needs a key' };
      const id = sqlString(query.key.includes(':key/') ? query.key.slice(query.key.indexOf(':key/') + 5) : query.key);
      const touches = [
        `strpos(coalesce(json_format(CAST(resources AS JSON)), ''), ${id}) > 0`,
        `strpos(coalesce(requestparameters, ''), ${id}) > 0`,
        `strpos(coalesce(responseelements, ''), ${id}) > 0`,
      ].join(' OR ');
      // Ransom events of every key too: the timeline marks this key's part in a pattern across keys.
      return { ok: true, sql: `eventsource = ${KMS} AND (${touches} OR eventname IN (${list(RANSOM_EVENTS)}))` };
    }
    case 'access-key': {
      const conditions: string[] = [];
      if (query.accessKeyIds?.length) conditions.push(`useridentity.accesskeyid IN (${list(query.accessKeyIds)})`);
      if (query.username) conditions.push(`useridentity.username = ${sqlString(query.username)}`);
      if (conditions.length === 0) return { ok: false, reason: 'the access-key investigation needs a key id or user' };
      return { ok: true, sql: conditions.join(' OR ') };
    }
  }
};

/** The time window as conditions on eventtime (ISO strings compare in time order), rounded to whole seconds. */
export const windowConditions = (query: EventQuery): string[] => {
  const conditions: string[] = [];
  const { since, until } = query.window;
  if (since !== undefined) conditions.push(`eventtime >= ${sqlString(isoSeconds(Math.ceil(since / 1000) * 1000))}`);
  if (until !== undefined) conditions.push(`eventtime < ${sqlString(isoSeconds(Math.ceil(until / 1000) * 1000))}`);
  return conditions;
};

/** The full SELECT of an investigation against `table`, with extra conditions (Athena's partition filters). */
export const investigationSql = (query: EventQuery, table: string, extra: string[] = []): QuerySql => {
  const conditions = investigationConditions(query);
  if (!conditions.ok) return conditions;
  const where = [`(${conditions.sql})`, ...windowConditions(query), ...extra].join('\n  AND ');
  return { ok: true, sql: `SELECT ${SELECT_COLUMNS.join(', ')}\nFROM ${table}\nWHERE ${where}` };
};

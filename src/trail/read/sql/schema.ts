/**
 * The CloudTrail table as Athena's documented CloudTrail DDL names it (lower-case columns, JSON-valued fields as
 * strings), so one SQL text runs on Athena and on the local DuckDB table alike.
 */

/** The struct fields of userIdentity, in the Athena DDL's spelling (lower case). */
const USER_IDENTITY_FIELDS = [
  'type',
  'principalid',
  'arn',
  'accountid',
  'invokedby',
  'accesskeyid',
  'username',
] as const;

/** The record fields DuckDB's JSON reader extracts, with CloudTrail's exact (camelCase) key names. */
const RECORD_FIELDS: Array<[string, string]> = [
  ['eventVersion', 'VARCHAR'],
  [
    'userIdentity',
    'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, invokedBy VARCHAR, accessKeyId VARCHAR, userName VARCHAR, sessionContext STRUCT(attributes STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR), sessionIssuer STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR)))',
  ],
  ['eventTime', 'VARCHAR'],
  ['eventSource', 'VARCHAR'],
  ['eventName', 'VARCHAR'],
  ['awsRegion', 'VARCHAR'],
  ['sourceIPAddress', 'VARCHAR'],
  ['userAgent', 'VARCHAR'],
  ['errorCode', 'VARCHAR'],
  ['errorMessage', 'VARCHAR'],
  ['requestParameters', 'JSON'],
  ['responseElements', 'JSON'],
  ['additionalEventData', 'JSON'],
  ['requestID', 'VARCHAR'],
  ['eventID', 'VARCHAR'],
  ['sharedEventID', 'VARCHAR'],
  ['readOnly', 'VARCHAR'],
  ['resources', 'STRUCT(ARN VARCHAR, accountId VARCHAR, type VARCHAR)[]'],
  ['eventType', 'VARCHAR'],
  ['recipientAccountId', 'VARCHAR'],
  ['vpcEndpointId', 'VARCHAR'],
];

/** One record as a DuckDB STRUCT type (for `{'Records': '<this>[]'}`). */
export const RECORD_STRUCT = `STRUCT(${RECORD_FIELDS.map(([name, type]) => `${name} ${type}`).join(', ')})`;

/** The `columns` argument of read_json for files of bare records (one event, an array, or JSON lines). */
export const RECORD_COLUMNS = `{${RECORD_FIELDS.map(([name, type]) => `'${name}': '${type}'`).join(', ')}}`;

/** The local table: Athena's column names and types, plus the file each row came from. */
export const DUCKDB_TABLE_DDL = `CREATE TABLE IF NOT EXISTS cloudtrail (
  file VARCHAR,
  eventversion VARCHAR,
  useridentity STRUCT(${USER_IDENTITY_FIELDS.map((f) => `${f} VARCHAR`).join(', ')},
    sessioncontext STRUCT(attributes STRUCT(mfaauthenticated VARCHAR, creationdate VARCHAR),
      sessionissuer STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, username VARCHAR))),
  eventtime VARCHAR, eventsource VARCHAR, eventname VARCHAR, awsregion VARCHAR, sourceipaddress VARCHAR,
  useragent VARCHAR, errorcode VARCHAR, errormessage VARCHAR, requestparameters VARCHAR, responseelements VARCHAR,
  additionaleventdata VARCHAR, requestid VARCHAR, eventid VARCHAR, sharedeventid VARCHAR, readonly VARCHAR,
  resources STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[], eventtype VARCHAR, recipientaccountid VARCHAR,
  vpcendpointid VARCHAR)`;

/** The SELECT list from an unnested record `r` into the table's columns (same order as the DDL). */
export const DUCKDB_INSERT_SELECT = `r.eventVersion, r.userIdentity, r.eventTime, r.eventSource, r.eventName,
  r.awsRegion, r.sourceIPAddress, r.userAgent, r.errorCode, r.errorMessage, CAST(r.requestParameters AS VARCHAR),
  CAST(r.responseElements AS VARCHAR), CAST(r.additionalEventData AS VARCHAR), r.requestID, r.eventID,
  r.sharedEventID, r.readOnly, r.resources, r.eventType, r.recipientAccountId, r.vpcEndpointId`;

/** Presto/Trino functions the shared SQL uses, defined for DuckDB under the same names. */
export const DUCKDB_MACROS = [
  'CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)',
  'CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)',
];

/**
 * Athena's CloudTrail table with partition projection (account, region and day), after the AWS documentation's
 * "Create the table for CloudTrail logs in Athena using partition projection", extended to several accounts and
 * regions with enum projections.
 */
export const athenaTableDdl = (options: {
  database: string;
  table: string;
  /** s3://bucket/prefix/AWSLogs/ (or .../AWSLogs/o-orgid/ for an organisation trail). */
  logsLocation: string;
  accounts: string[];
  regions: string[];
  /** yyyy/MM/dd, the first day projected. */
  firstDay: string;
}): string => {
  const location = options.logsLocation.endsWith('/') ? options.logsLocation : `${options.logsLocation}/`;
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${options.database}\`.\`${options.table}\` (
  eventversion STRING,
  useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
    accesskeyid: STRING, username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING, webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING,STRING>>>>,
  eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING, useragent STRING,
  errorcode STRING, errormessage STRING, requestparameters STRING, responseelements STRING,
  additionaleventdata STRING, requestid STRING, eventid STRING, readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>, eventtype STRING, apiversion STRING,
  recipientaccountid STRING, serviceeventdetails STRING, sharedeventid STRING, vpcendpointid STRING
)
PARTITIONED BY (account STRING, region STRING, day STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='enum',
  'projection.account.values'='${options.accounts.join(',')}',
  'projection.region.type'='enum',
  'projection.region.values'='${options.regions.join(',')}',
  'projection.day.type'='date',
  'projection.day.format'='yyyy/MM/dd',
  'projection.day.range'='${options.firstDay},NOW',
  'projection.day.interval'='1',
  'projection.day.interval.unit'='DAYS',
  'storage.location.template'='${location}\${account}/CloudTrail/\${region}/\${day}'
)`;
};

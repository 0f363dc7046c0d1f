/**
 * A row of the investigation SQL (every value a string or null, as Athena returns them) back into a CloudTrail
 * record, which then goes through the same validation as a record read from a file.
 */
export type SqlRow = Record<string, string | null | undefined>;

const parseJson = (text: string | null | undefined): unknown => {
  if (text === null || text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const compact = (value: Record<string, unknown>): Record<string, unknown> | undefined => {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
};

const resourcesOf = (text: string | null | undefined): unknown => {
  const parsed = parseJson(text);
  if (!Array.isArray(parsed)) return undefined;
  return parsed.map((item) => {
    const resource = (item ?? {}) as Record<string, unknown>;
    return (
      compact({
        ARN: resource.arn ?? resource.ARN,
        accountId: resource.accountid ?? resource.accountId,
        type: resource.type,
      }) ?? {}
    );
  });
};

export const rowToRecord = (row: SqlRow): Record<string, unknown> => {
  const issuer = compact({
    type: row.issuer_type,
    principalId: row.issuer_principalid,
    arn: row.issuer_arn,
    accountId: row.issuer_accountid,
    userName: row.issuer_username,
  });
  const identity = compact({
    type: row.identity_type,
    principalId: row.identity_principalid,
    arn: row.identity_arn,
    accountId: row.identity_accountid,
    accessKeyId: row.identity_accesskeyid,
    userName: row.identity_username,
    invokedBy: row.identity_invokedby,
    sessionContext: issuer ? { sessionIssuer: issuer } : undefined,
  });
  return (
    compact({
      eventVersion: row.eventversion,
      userIdentity: identity,
      eventTime: row.eventtime,
      eventSource: row.eventsource,
      eventName: row.eventname,
      awsRegion: row.awsregion,
      sourceIPAddress: row.sourceipaddress,
      userAgent: row.useragent,
      errorCode: row.errorcode,
      errorMessage: row.errormessage,
      requestParameters: parseJson(row.requestparameters),
      responseElements: parseJson(row.responseelements),
      requestID: row.requestid,
      eventID: row.eventid,
      sharedEventID: row.sharedeventid,
      readOnly: row.readonly === 'true' ? true : row.readonly === 'false' ? false : undefined,
      resources: resourcesOf(row.resources_json),
      eventType: row.eventtype,
      recipientAccountId: row.recipientaccountid,
    }) ?? {}
  );
};

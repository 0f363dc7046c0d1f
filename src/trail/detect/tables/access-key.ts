import type { AccessKeyResult } from '../access-key';
import { counts, table } from './table';

export const renderAccessKey = (result: AccessKeyResult): string => {
  const parts = [
    `Activity of ${result.subjectKind === 'user' ? 'IAM user' : 'access key'} ${result.subject}`,
    table(
      ['', ''],
      [
        ['access keys followed', result.accessKeyIds.join(', ') || '-'],
        ['events', `${result.events} (${result.failedEvents} failed)`],
        ['first seen', result.firstSeen ?? '-'],
        ['last seen', result.lastSeen ?? '-'],
        ['event names', counts(result.eventNames, 10)],
        ['resources', counts(result.resources, 10)],
        ['resource types', counts(result.resourceTypes, 10)],
        ['source IPs', counts(result.sourceIPs, 10)],
        ['user agents', counts(result.userAgents, 5)],
        ['regions', counts(result.regions, 10)],
        ['error codes', counts(result.errorCodes, 10)],
        ['principals', counts(result.principals, 5)],
      ],
    ),
  ];
  if (result.minted.length > 0) {
    parts.push(
      `Temporary credentials minted (${result.minted.length}): they stay valid after the key is deactivated`,
      table(
        ['time', 'call', 'access key id', 'minted by', 'role', 'expires'],
        result.minted.map((credential) => [
          credential.time,
          credential.eventName,
          credential.accessKeyId,
          credential.mintedBy ?? credential.caller,
          credential.roleArn ?? credential.actsAs ?? '-',
          credential.expiration ?? '-',
        ]),
      ),
    );
  }
  if (result.suspicious.length > 0) {
    parts.push(
      `Suspicious calls (${result.suspicious.length}):`,
      table(
        ['time', 'event', 'region', 'access key', 'result', 'why'],
        result.suspicious.map((call) => [
          call.time,
          call.eventName,
          call.region ?? '-',
          call.accessKeyId ?? '-',
          call.errorCode ?? 'ok',
          call.reason,
        ]),
      ),
    );
  }
  return parts.join('\n');
};

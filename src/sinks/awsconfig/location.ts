/** Reads keywarden.yaml from its ConfigLocation: `s3://bucket/key` (GetObject) or `ssm:/name` (GetParameter). */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { errorCode, errorMessage } from './aws-json';

export class ConfigLocationError extends Error {}

export interface LocationClients {
  s3: () => S3Client;
  ssm: () => SSMClient;
}

export async function readConfigLocation(location: string, clients: LocationClients): Promise<string> {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  const ssm = /^ssm:(\/.+)$/.exec(location);
  try {
    if (s3) {
      const out = await clients.s3().send(new GetObjectCommand({ Bucket: s3[1], Key: s3[2] }));
      return (await out.Body?.transformToString('utf-8')) ?? '';
    }
    if (ssm) {
      const out = await clients.ssm().send(new GetParameterCommand({ Name: ssm[1], WithDecryption: true }));
      return out.Parameter?.Value ?? '';
    }
  } catch (error) {
    const needs = s3 ? 's3:GetObject on that object' : 'ssm:GetParameter on that parameter';
    throw new ConfigLocationError(
      `cannot read keywarden.yaml from ${location} (${errorCode(error)}: ${errorMessage(error)}); check the location and that the rule's role allows ${needs}`,
    );
  }
  throw new ConfigLocationError(
    `ConfigLocation must be s3://bucket/key or ssm:/parameter/name (a parameter name starting with /), got "${location}"`,
  );
}

/** The AWS console page of a KMS key, in the console of the key's partition. */

const CONSOLE_HOST: Record<string, (region: string) => string> = {
  aws: (region) => `https://${region}.console.aws.amazon.com`,
  'aws-cn': () => 'https://console.amazonaws.cn',
  'aws-us-gov': () => 'https://console.amazonaws-us-gov.com',
};

const KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;

/**
 * `https://REGION.console.aws.amazon.com/kms/home?region=REGION#/kms/keys/KEYID` for the aws partition; the China
 * and GovCloud consoles for aws-cn and aws-us-gov. Undefined for anything that is not a KMS key ARN of those
 * partitions (an alias ARN, a template logical id), so a link never points somewhere made up.
 */
export function consoleUrlForKey(arn: string): string | undefined {
  const match = KEY_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, , keyId] = match as unknown as [string, string, string, string, string];
  const host = CONSOLE_HOST[partition]!(region);
  return `${host}/kms/home?region=${region}#/kms/keys/${keyId}`;
}

/** Account and region of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:...`). */
export function arnParts(arn: string): { partition?: string; region?: string; account?: string } {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return {};
  return { partition: parts[1] || undefined, region: parts[3] || undefined, account: parts[4] || undefined };
}

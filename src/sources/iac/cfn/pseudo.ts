/** Pseudo parameters (AWS::AccountId, AWS::Region, ...) from the read options, symbolic when unknown. */
import type { TemplateReadOptions } from '../types';

export interface Environment {
  /** options.accountId or `{{AWS::AccountId}}`. */
  account: string;
  /** options.region or `{{AWS::Region}}`. */
  region: string;
  regionKnown: boolean;
  partition: string;
  urlSuffix: string;
}

export const ACCOUNT_SYMBOL = '{{AWS::AccountId}}';

export function partitionOfRegion(region: string | undefined): string | undefined {
  if (!region) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

export function environmentOf(options: TemplateReadOptions): Environment {
  // Without a region or partition the commercial partition is assumed: it is where nearly every template deploys.
  const partition = options.partition ?? partitionOfRegion(options.region) ?? 'aws';
  return {
    account: options.accountId ?? ACCOUNT_SYMBOL,
    region: options.region ?? '{{AWS::Region}}',
    regionKnown: options.region !== undefined,
    partition,
    urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
}

export type PseudoValue =
  | { kind: 'value'; value: unknown }
  | { kind: 'symbolic'; value: unknown; why: string }
  | { kind: 'no-value' };

export function pseudoParameter(name: string, env: Environment): PseudoValue | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return { kind: 'value', value: env.account };
    case 'AWS::Region':
      return env.regionKnown
        ? { kind: 'value', value: env.region }
        : {
            kind: 'symbolic',
            value: env.region,
            why: 'AWS::Region is unknown before deploy: pass --region to resolve it',
          };
    case 'AWS::Partition':
      return { kind: 'value', value: env.partition };
    case 'AWS::URLSuffix':
      return { kind: 'value', value: env.urlSuffix };
    case 'AWS::StackName':
      return { kind: 'symbolic', value: '{{AWS::StackName}}', why: 'AWS::StackName is known only at deploy' };
    case 'AWS::StackId':
      return { kind: 'symbolic', value: '{{AWS::StackId}}', why: 'AWS::StackId is known only at deploy' };
    case 'AWS::NotificationARNs':
      return {
        kind: 'symbolic',
        value: ['{{AWS::NotificationARNs}}'],
        why: 'AWS::NotificationARNs is known only at deploy',
      };
    case 'AWS::NoValue':
      return { kind: 'no-value' };
    default:
      return undefined;
  }
}

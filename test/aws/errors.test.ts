import { KMSServiceException } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { classifyFailure, errorCode, explainFailure, toApiError } from '../../src/sources/aws/errors';
import { serviceError } from './fixtures';

const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('AWS errors as values a user can act on', () => {
  it('records a failed call with its AWS code and message', () => {
    expect(toApiError(serviceError(KMSServiceException, 'AccessDeniedException'))).toEqual({
      error: { code: 'AccessDeniedException', message: expect.stringContaining('kms:GetKeyPolicy') },
    });
    expect(errorCode(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND kms.us-nowhere-1.amazonaws.com'))).toBe('ENOTFOUND');
    expect(toApiError('plain text')).toEqual({ error: { code: 'Error', message: 'plain text' } });
  });

  it.each([
    ['AccessDeniedException', 'access-denied'],
    ['UnrecognizedClientException', 'region-not-enabled'],
    ['ExpiredToken', 'expired-credentials'],
    ['ThrottlingException', 'throttled'],
  ])('classifies %s as %s', (code, kind) => {
    expect(classifyFailure(serviceError(KMSServiceException, code))).toBe(kind);
  });

  it('classifies credential, DNS and network failures', () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(classifyFailure(noCredentials)).toBe('no-credentials');
    expect(classifyFailure(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND kms.us-nowhere-1.amazonaws.com'))).toBe(
      'unknown-region',
    );
    expect(classifyFailure(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'))).toBe('unreachable');
  });

  it('explains what failed, where, and how to fix it, in one line', () => {
    const line = explainFailure(
      serviceError(KMSServiceException, 'UnrecognizedClientException'),
      'list keys (kms:ListKeys)',
      'account 111122223333, region me-south-1',
      'region',
    );
    expect(line).toBe(
      'could not list keys (kms:ListKeys) in account 111122223333, region me-south-1: UnrecognizedClientException: The security token included in the request is invalid.; the region is probably an opt-in region not enabled for this account: enable it (Account > AWS Regions) or leave it out of --region',
    );
    expect(line).not.toContain('\n');
  });

  it('keeps the environment advice when a specific fix is given but the credentials expired', () => {
    const line = explainFailure(
      serviceError(KMSServiceException, 'ExpiredToken'),
      'x',
      'y',
      'account',
      'create the role',
    );
    expect(line).toMatch(/credentials have expired/);
    expect(
      explainFailure(serviceError(KMSServiceException, 'AccessDenied'), 'x', 'y', 'account', 'create the role'),
    ).toMatch(/; create the role$/);
  });
});

import {
  AccessAnalyzerServiceException,
  ListAnalyzersCommand,
  ListFindingsCommand,
} from '@aws-sdk/client-accessanalyzer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gap } from '../../src/kms/snapshot';
import { type AccessAnalyzerRegion, type AwsScanOptions, readAccessAnalyzerFindings } from '../../src/sources/aws';
import { MANAGEMENT, mockEstate } from './aws-mocks';
import { serviceError, TEST_ENV, withEnv } from './fixtures';

async function read(options: AwsScanOptions) {
  const regions: AccessAnalyzerRegion[] = [];
  const gaps: Gap[] = [];
  for await (const item of readAccessAnalyzerFindings(options)) {
    if ('gap' in item) gaps.push(item);
    else regions.push(item);
  }
  return { regions, gaps };
}

let restoreEnv: () => void;
let estate: ReturnType<typeof mockEstate>;
beforeEach(() => {
  restoreEnv = withEnv(TEST_ENV);
  estate = mockEstate();
});
afterEach(() => {
  estate.restore();
  restoreEnv();
});

describe('readAccessAnalyzerFindings', () => {
  it('reads the active KMS findings of the external-access analyzer, every page', async () => {
    const { regions, gaps } = await read({ regions: ['us-west-2'] });
    expect(gaps).toEqual([]);
    expect(regions).toHaveLength(1);
    const region = regions[0] as AccessAnalyzerRegion;
    expect(region.account).toBe(MANAGEMENT);
    expect(region.analyzers).toEqual([
      'arn:aws:access-analyzer:us-west-2:111122223333:analyzer/ConsoleAnalyzer-account',
    ]);
    const calls = estate.analyzer.commandCalls(ListFindingsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.filter).toEqual({
      resourceType: { eq: ['AWS::KMS::Key'] },
      status: { eq: ['ACTIVE'] },
    });
    expect(region.findings.map((f) => [f.resource, f.isPublic, f.principal])).toEqual([
      ['arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', false, { AWS: '444455556666' }],
      ['arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321', true, { AWS: '*' }],
    ]);
    expect(region.findings[0]?.createdAt).toBe('2021-02-26T21:17:24.710Z');
  });

  it('a region without an analyzer has nothing to compare (not a gap)', async () => {
    estate.analyzer.on(ListAnalyzersCommand).resolves({ analyzers: [] });
    const { regions, gaps } = await read({ regions: ['us-west-2'] });
    expect(gaps).toEqual([]);
    expect(regions).toEqual([{ account: MANAGEMENT, region: 'us-west-2', analyzers: [], findings: [] }]);
  });

  it('a refused ListAnalyzers is a region gap', async () => {
    estate.analyzer
      .on(ListAnalyzersCommand)
      .rejects(serviceError(AccessAnalyzerServiceException, 'AccessDeniedException'));
    const { regions, gaps } = await read({ regions: ['us-west-2'] });
    expect(regions).toEqual([]);
    expect(gaps).toEqual([
      expect.objectContaining({ region: 'us-west-2', reason: expect.stringMatching(/access-analyzer:ListAnalyzers/) }),
    ]);
  });
});

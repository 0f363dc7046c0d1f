/**
 * Access Analyzer cross-check: keys and findings read through the real collector with aws-sdk-client-mock
 * (ListAnalyzers / ListFindings shapes from the API reference, test/aws/fixtures), compared per key; then the
 * comparison and the IAM side added to a real JSON report, validated against schemas/report.v1.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessAnalyzerExtras, accessAnalyzerLine, compareWithAccessAnalyzer } from '../../src/app/access-analyzer';
import {
  addToJsonReport,
  addToTable,
  type IamSide,
  iamExtras,
  iamSideOf,
  keyExtrasSink,
} from '../../src/app/iam-explain';
import { liveSource } from '../../src/app/live';
import { scan } from '../../src/app/scan';
import { analyseAccess } from '../../src/kms/access';
import { isGap, isSkipped, type KeySnapshot } from '../../src/kms/snapshot';
import { analyseKey, NO_TRUST } from '../../src/rules/engine';
import { createFormatSink } from '../../src/sinks/format';
import {
  type AccessAnalyzerRegion,
  collectAws,
  collectIamSide,
  type IamAccountView,
  readAccessAnalyzerFindings,
} from '../../src/sources/aws';
import { mockEstate } from '../aws/aws-mocks';
import { TEST_ENV, withEnv } from '../aws/fixtures';
import { accountFromDetails, keyPolicy, OWNER, orgFixture, PARTNER, policySet } from './iam-data';

const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const RSA = 'arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';
const CLEAN = 'arn:aws:kms:us-west-2:111122223333:key/b8a9477d-836c-491f-857e-07937918959b';

async function readRegions(): Promise<AccessAnalyzerRegion[]> {
  const out: AccessAnalyzerRegion[] = [];
  for await (const item of readAccessAnalyzerFindings({ regions: ['us-west-2'] })) if (!('gap' in item)) out.push(item);
  return out;
}

async function readKeys(): Promise<KeySnapshot[]> {
  const out: KeySnapshot[] = [];
  for await (const item of liveSource(collectAws({ regions: ['us-west-2'] })))
    if (!isGap(item) && !isSkipped(item)) out.push(item);
  return out;
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

describe('compareWithAccessAnalyzer over keys and findings read through the collector', () => {
  it('agrees on a grant to another account, differs on a key Access Analyzer calls public', async () => {
    const [keys, regions] = await Promise.all([readKeys(), readRegions()]);
    const compare = (arn: string) => {
      const key = keys.find((k) => k.arn === arn)!;
      return compareWithAccessAnalyzer(analyseKey(key, { trusted: NO_TRUST }), regions);
    };
    const shared = compare(KEY);
    expect(shared.status).toBe('agree-external');
    expect(shared.keywarden.parties).toEqual([PARTNER]);
    expect(shared.accessAnalyzer).toEqual({ parties: [PARTNER], findings: ['597f3bc2-3adc-4c18-9879-5c4b23485e46'] });
    expect(shared.analyzers).toEqual([
      'arn:aws:access-analyzer:us-west-2:111122223333:analyzer/ConsoleAnalyzer-account',
    ]);

    const rsa = compare(RSA);
    expect(rsa.status).toBe('differ');
    expect(rsa.differences).toEqual([
      {
        party: '*',
        keywarden: false,
        accessAnalyzer: true,
        why: 'keywarden finds no request from this party that the key policy and grants allow',
      },
    ]);
    expect(accessAnalyzerLine(rsa)).toBe(
      'Access Analyzer: DIFFERS: anyone external for Access Analyzer only (keywarden finds no request from this party that the key policy and grants allow)',
    );
    expect(compare(CLEAN).status).toBe('agree-internal');
  });

  it('where no analyzer exists there is nothing to compare', async () => {
    estate.analyzer
      .on((await import('@aws-sdk/client-accessanalyzer')).ListAnalyzersCommand)
      .resolves({ analyzers: [] });
    const [keys, regions] = await Promise.all([readKeys(), readRegions()]);
    const c = compareWithAccessAnalyzer(analyseKey(keys[0]!, { trusted: NO_TRUST }), regions);
    expect(c.status).toBe('no-analyzer');
    expect(accessAnalyzerLine(c)).toBe(
      'Access Analyzer: not compared: no active Access Analyzer covers 111122223333/us-west-2',
    );
  });

  it('where the findings could not be read, the key is not judged (and says why), not "no analyzer"', async () => {
    const { AccessAnalyzerServiceException, ListAnalyzersCommand } = await import('@aws-sdk/client-accessanalyzer');
    const { serviceError } = await import('../aws/fixtures');
    estate.analyzer
      .on(ListAnalyzersCommand)
      .rejects(serviceError(AccessAnalyzerServiceException, 'AccessDeniedException'));
    const gaps = [];
    for await (const item of readAccessAnalyzerFindings({ regions: ['us-west-2'] })) if ('gap' in item) gaps.push(item);
    const keys = await readKeys();
    const c = compareWithAccessAnalyzer(analyseKey(keys[0]!, { trusted: NO_TRUST }), [], undefined, gaps);
    expect(c.status).toBe('not-judged');
    expect(c.reason).toMatch(/^the Access Analyzer findings could not be read: .*access-analyzer:ListAnalyzers/);
  });

  it('the JSON report carries the IAM side and the comparison per key, and validates against the schema', async () => {
    const views: IamAccountView[] = [];
    for await (const item of collectIamSide({})) if (!('gap' in item)) views.push(item);
    const regions = await readRegions();
    const sides = new Map<string, IamSide>();
    const extras = keyExtrasSink([
      iamExtras(views, {}, sides),
      accessAnalyzerExtras(regions, (r) => sides.get(r.key.arn)?.reach),
    ]);
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk, _e, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const json = createFormatSink('json', out, { tool: { name: 'keywarden', version: 'test' } });
    await scan(liveSource(collectAws({ regions: ['us-west-2'] })), [extras.sink, json], {
      failOn: 'none',
      trusted: NO_TRUST,
    });
    const report = JSON.parse(addToJsonReport(chunks.join(''), extras.extras));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/report.v1.json'), 'utf8')),
    );
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const key = report.keys.find((k: { arn: string }) => k.arn === KEY);
    expect(key.accessAnalyzer.status).toBe('agree-external');
    // Alice is an administrator through her group (AdministratorAccess); the EC2 role has S3 and a ViaService-bound use policy.
    const alice = key.iam.principals.find((p: { name: string }) => p.name === 'Alice');
    expect(alice.access.policy.actions).toEqual(['kms:PutKeyPolicy']);
    const ec2 = key.iam.principals.find((p: { name: string }) => p.name === 'EC2role');
    expect(ec2.access.use.conditional).toBe(true);
  });
});

describe('compareWithAccessAnalyzer: why they differ, when keywarden knows', () => {
  const regionWith = (findings: Array<{ id: string; principal: Record<string, string> }>) => [
    {
      account: OWNER,
      region: 'us-east-1',
      analyzers: ['arn:aws:access-analyzer:us-east-1:111122223333:analyzer/account'],
      findings: findings.map((f) => ({
        ...f,
        analyzerArn: 'arn:aws:access-analyzer:us-east-1:111122223333:analyzer/account',
        resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        status: 'ACTIVE',
        isPublic: false,
      })),
    },
  ];
  const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const reportOf = (policyJson: object, grants: KeySnapshot['grants'] = { ok: true, value: [] }) => {
    const policy = keyPolicy(JSON.stringify(policyJson));
    const key = {
      arn: keyArn,
      account: OWNER,
      region: 'us-east-1',
      metadata: {
        ok: true,
        value: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Arn: keyArn, KeyManager: 'CUSTOMER' },
      },
      policy: { ok: true, value: policy },
      grants,
    } as KeySnapshot;
    return {
      key,
      access: analyseAccess({ account: OWNER, keyArn, policy, grants: grants.ok ? grants.value : [] }),
    };
  };
  const root = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };

  it('pins: a "*" statement pinned to an organization', () => {
    const r = reportOf({
      Version: '2012-10-17',
      Statement: [
        root,
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorgid' } },
        },
      ],
    });
    const c = compareWithAccessAnalyzer(r, regionWith([]));
    expect(c.differences).toEqual([
      {
        party: '*',
        keywarden: true,
        accessAnalyzer: false,
        why: 'access depends on conditions that pin the caller (aws:PrincipalOrgID)',
      },
    ]);
  });

  it('grants: access only through a grant', () => {
    const r = reportOf(
      { Version: '2012-10-17', Statement: [root] },
      {
        ok: true,
        value: [
          { GrantId: 'abc123', GranteePrincipal: `arn:aws:iam::${PARTNER}:role/Importer`, Operations: ['Decrypt'] },
        ],
      },
    );
    const c = compareWithAccessAnalyzer(r, regionWith([]));
    expect(c.differences).toEqual([
      { party: PARTNER, keywarden: true, accessAnalyzer: false, why: 'access only through grant(s) abc123' },
    ]);
  });

  it('RCPs: a data perimeter keywarden applies', () => {
    const r = reportOf({
      Version: '2012-10-17',
      Statement: [root, { Effect: 'Allow', Principal: { AWS: PARTNER }, Action: 'kms:Decrypt', Resource: '*' }],
    });
    const own = {
      ...accountFromDetails(OWNER, 'iam-details-111122223333.json'),
      organization: {
        serviceControlPolicies: { status: 'not-enabled' as const },
        resourceControlPolicies: policySet(orgFixture().rcp),
      },
    };
    const reach = iamSideOf(r, [own]).reach;
    expect(reach?.after).toBe('internal');
    const c = compareWithAccessAnalyzer(r, regionWith([{ id: 'f-1', principal: { AWS: PARTNER } }]), reach);
    expect(c.status).toBe('differ');
    expect(c.differences[0]).toEqual({
      party: PARTNER,
      keywarden: false,
      accessAnalyzer: true,
      why: "keywarden applies the Organization's RCPs: RCP KmsDataPerimeter (attached to r-examplerootid111) denies it",
    });
  });

  it('not judged when keywarden could not read the key policy', () => {
    const key = { arn: keyArn, account: OWNER, region: 'us-east-1' } as KeySnapshot;
    const c = compareWithAccessAnalyzer(
      {
        key,
        access: {
          reach: 'unknown',
          externalAccounts: [],
          principals: [],
          delegatesToAccount: false,
          separationOfDuties: { ok: true, violators: [] },
          unknownReason: 'AccessDeniedException',
        },
      },
      regionWith([{ id: 'f-1', principal: { AWS: PARTNER } }]),
    );
    expect(c.status).toBe('not-judged');
    expect(c.reason).toMatch(/AccessDeniedException/);
  });
});

describe('addToTable', () => {
  it("puts each key's lines under the line that names it, and keeps lines of keys it cannot find", () => {
    const table = [
      'alias/app  key 1234abcd-12ab-34cd-56ef-1234567890ab  111122223333/us-east-1  INTERNAL  NON_COMPLIANT',
      '┌─────┐',
      '',
      'Keys without findings (1)',
      '  ok  (no alias)  key 0000  111122223333/us-east-1  INTERNAL  COMPLIANT',
      '',
      'Total: 2 keys',
      '',
    ].join('\n');
    const extras = new Map([
      [`arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`, { json: {}, lines: ['IAM: a'] }],
      ['arn:aws:kms:us-east-1:111122223333:key/0000', { json: {}, lines: ['IAM: b'] }],
      ['arn:aws:kms:eu-west-1:111122223333:key/0000', { json: {}, lines: ['IAM: c'] }],
    ]);
    expect(addToTable(table, extras).split('\n')).toEqual([
      'alias/app  key 1234abcd-12ab-34cd-56ef-1234567890ab  111122223333/us-east-1  INTERNAL  NON_COMPLIANT',
      '  IAM: a',
      '┌─────┐',
      '',
      'Keys without findings (1)',
      '  ok  (no alias)  key 0000  111122223333/us-east-1  INTERNAL  COMPLIANT',
      '        IAM: b',
      '',
      'IAM side and cross-checks',
      '  arn:aws:kms:eu-west-1:111122223333:key/0000',
      '    IAM: c',
      '',
      'Total: 2 keys',
      '',
    ]);
  });
});

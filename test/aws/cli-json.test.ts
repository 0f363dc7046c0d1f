import { describe, expect, it } from 'vitest';
import { cliOutput, mergedPages, toCliJson } from '../../src/sources/aws/cli-json';
import { decodePolicyDocument } from '../../src/sources/aws/policy-text';
import { fixture, fixtureText } from './fixtures';

describe('SDK output as the AWS CLI prints it', () => {
  it('drops $metadata and undefined members, prints dates as ISO strings and blobs as base64', () => {
    const out = toCliJson({
      $metadata: { httpStatusCode: 200 },
      KeyMetadata: { CreationDate: new Date('2019-08-23T00:06:23.394Z'), Description: undefined, Enabled: true },
      CiphertextBlob: new Uint8Array([1, 2, 3]),
      List: [new Date(0)],
    });
    expect(out).toEqual({
      KeyMetadata: { CreationDate: '2019-08-23T00:06:23.394Z', Enabled: true },
      CiphertextBlob: 'AQID',
      List: ['1970-01-01T00:00:00.000Z'],
    });
  });

  it('merges pages into the result list only, as the CLI paginator does', () => {
    const pages = [fixture('kms-list-grants-page1'), fixture('kms-list-grants-page2')];
    const merged = mergedPages<{ Grants: Array<{ GrantId: string; CreationDate: string }> }>(pages, 'Grants');
    expect(Object.keys(merged)).toEqual(['Grants']);
    expect(merged.Grants.map((g) => g.GrantId)).toEqual([
      '1667b97d27cf748cf05b487217dd4179526c949d14fb3903858e25193253fe59',
      '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60',
    ]);
    expect(merged.Grants[0]?.CreationDate).toBe('2018-02-14T00:15:15.000Z');
  });

  it('keeps a single response whole', () => {
    expect(cliOutput({ ...fixture('kms-get-key-policy'), $metadata: {} })).toEqual(
      JSON.parse(fixtureText('kms-get-key-policy')),
    );
  });
});

describe('policy documents as IAM and Organizations return them', () => {
  it('URL-decodes IAM documents and reads plain JSON as is', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] };
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual({ document: doc });
    expect(decodePolicyDocument(JSON.stringify(doc))).toEqual({ document: doc });
  });

  it('says why a document cannot be read', () => {
    expect(decodePolicyDocument(undefined).error).toMatch(/no policy document/);
    expect(decodePolicyDocument('%E0%A4%A').error).toMatch(/URL-encoded/);
    expect(decodePolicyDocument('{"Statement": [').error).toMatch(/not valid JSON/);
    expect(decodePolicyDocument('%5B%5D').error).toMatch(/not a JSON object/);
  });
});

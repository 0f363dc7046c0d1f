/** What each real KMS CloudTrail record tells about its key (one record per event name the watch follows). */
import { describe, expect, it } from 'vitest';
import { effectOf, isWatchedEvent, keyMetadataFromEvent, WATCHED_EVENTS } from '../../src/app/watch-events';
import { parseCloudTrailEvent } from '../../src/trail/detect/event';
import { KEY_ARN, loadEvent } from './helpers';

const parse = (name: string) => {
  const parsed = parseCloudTrailEvent(loadEvent(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
};

const REPLICA = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('effectOf on the AWS documentation records', () => {
  const cases: Array<[string, string, (e: ReturnType<typeof effectOf>) => void]> = [
    ['put-key-policy', 'PutKeyPolicy', (e) => expect(e.policy?.text).toContain('Enable IAM User Permissions')],
    [
      'create-grant',
      'CreateGrant',
      (e) =>
        expect(e.grantAdded).toMatchObject({
          GrantId: 'f020fe75197b93991dc8491d6f19dd3cebb24ee62277a05914386724f3d48758',
          GranteePrincipal: 'EX_PRINCIPAL_ID',
          Operations: ['Encrypt', 'RetireGrant'],
          Constraints: { EncryptionContextSubset: { ContextKey1: 'Value1' } },
        }),
    ],
    ['revoke-grant', 'RevokeGrant', (e) => expect(e.grantRemoved).toMatch(/^[0-9a-f]{64}$/)],
    ['retire-grant', 'RetireGrant', (e) => expect(e.grantRemoved).toBe('unknown')],
    [
      'create-key',
      'CreateKey',
      (e) => {
        expect(e.newKey?.metadata).toMatchObject({
          KeyState: 'PendingImport',
          Origin: 'EXTERNAL',
          KeyManager: 'CUSTOMER',
        });
        expect(e.notes.join()).toContain('default key policy');
      },
    ],
    [
      'replicate-key',
      'ReplicateKey',
      (e) => {
        expect(e.keyArn).toBe(REPLICA);
        expect(e.policy?.from).toBe('responseElements.replicaPolicy');
        expect(e.newKey?.metadata).toMatchObject({ MultiRegion: true, KeyState: 'Creating' });
      },
    ],
    [
      'schedule-key-deletion',
      'ScheduleKeyDeletion',
      (e) => expect(e.metadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false }),
    ],
    ['cancel-key-deletion', 'CancelKeyDeletion', (e) => expect(e.metadata).toMatchObject({ KeyState: 'Disabled' })],
    ['disable-key', 'DisableKey', (e) => expect(e.metadata).toEqual({ KeyState: 'Disabled', Enabled: false })],
    ['enable-key', 'EnableKey', (e) => expect(e.metadata).toEqual({ KeyState: 'Enabled', Enabled: true })],
    ['disable-key-rotation', 'DisableKeyRotation', (e) => expect(e.rotation).toBe(false)],
    ['import-key-material', 'ImportKeyMaterial', (e) => expect(e.metadata).toMatchObject({ KeyState: 'Enabled' })],
    [
      'delete-imported-key-material',
      'DeleteImportedKeyMaterial',
      (e) => expect(e.metadata).toMatchObject({ KeyState: 'PendingImport' }),
    ],
    ['create-alias', 'CreateAlias', (e) => expect(e.aliasAdded).toMatch(/^alias\//)],
    ['update-alias', 'UpdateAlias', (e) => expect(e.aliasAdded).toBe('alias/my_alias')],
    ['delete-alias', 'DeleteAlias', (e) => expect(e.aliasRemoved).toBe('alias/my_alias')],
  ];

  it.each(cases)('%s (%s)', (name, eventName, check) => {
    const event = parse(name);
    expect(event.eventName).toBe(eventName);
    expect(isWatchedEvent(event)).toBe(true);
    const effect = effectOf(event);
    if (name !== 'replicate-key')
      expect(effect.keyArn).toMatch(/^arn:aws:kms:[a-z0-9-]+:111122223333:key\/[0-9a-f-]+$/);
    check(effect);
  });

  it('covers every event name the watch follows', () => {
    expect(new Set(cases.map(([, eventName]) => eventName))).toEqual(new Set(WATCHED_EVENTS));
  });

  it('takes the key, never the alias, from records whose resources list both (UpdateAlias, DeleteAlias)', () => {
    expect(effectOf(parse('update-alias')).keyArn).toBe(KEY_ARN);
    expect(effectOf(parse('delete-alias')).keyArn).toBe(KEY_ARN);
  });

  it('reads a policy written as an object (Panther) and an AssumedRole caller', () => {
    const effect = effectOf(parse('panther-put-key-policy-public'));
    expect(JSON.parse(effect.policy?.text ?? '{}').Statement[0].Principal).toBe('*');
    expect(effect.keyArn).toBeUndefined();
    expect(effect.notes.join()).toContain('does not name a key ARN');
  });

  it('gives a failed call no effect but its key', () => {
    const effect = effectOf(parse('put-key-policy-access-denied'));
    expect(effect).toEqual({ keyArn: KEY_ARN, notes: [] });
    expect(effectOf(parse('panther-disable-key-error')).metadata).toBeUndefined();
  });

  it('does not follow TagResource (kept, not analysed)', () => {
    expect(isWatchedEvent(parse('tag-resource'))).toBe(false);
  });

  it('turns CloudTrail camelCase key metadata into the DescribeKey shape', () => {
    expect(keyMetadataFromEvent({ aWSAccountId: '1', keyId: 'k', keyState: 'Enabled', multiRegion: false })).toEqual({
      AWSAccountId: '1',
      KeyId: 'k',
      KeyState: 'Enabled',
      MultiRegion: false,
    });
  });
});

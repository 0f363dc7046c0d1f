import { describe, expect, it } from 'vitest';
import {
  ACTION_CLASSES,
  CROSS_ACCOUNT_ACTIONS,
  classesOf,
  isCrossAccountAction,
  KMS_ACTIONS,
  sodAdminActions,
  sodUseActions,
} from './actions';

describe('KMS action catalogue', () => {
  it('is generated from the maintained source and has the KMS actions', () => {
    expect(KMS_ACTIONS.length).toBeGreaterThan(40);
    expect(KMS_ACTIONS.map((a) => a.name)).toContain('Decrypt');
    expect(KMS_ACTIONS.map((a) => a.name)).toContain('PutKeyPolicy');
  });

  it('classes every generated action, and classes nothing KMS does not have', () => {
    const generated = KMS_ACTIONS.map((a) => a.name);
    const unclassed = generated.filter((n) => !ACTION_CLASSES[n] || ACTION_CLASSES[n]!.length === 0);
    expect(unclassed).toEqual([]);
    const stale = Object.keys(ACTION_CLASSES).filter((n) => !generated.includes(n));
    expect(stale).toEqual([]);
  });

  it('allows exactly the documented operations across accounts', () => {
    expect(isCrossAccountAction('kms:Decrypt')).toBe(true);
    expect(isCrossAccountAction('KMS:createGRANT')).toBe(true);
    expect(isCrossAccountAction('kms:PutKeyPolicy')).toBe(false);
    expect(isCrossAccountAction('kms:ScheduleKeyDeletion')).toBe(false);
    expect(isCrossAccountAction('kms:GetKeyPolicy')).toBe(false);
    expect(CROSS_ACCOUNT_ACTIONS).toContain('kms:GetKeyRotationStatus');
    expect(CROSS_ACCOUNT_ACTIONS).not.toContain('kms:GenerateRandom'); // not key-scoped
  });

  it('has the separation-of-duties sets of the corpus README', () => {
    expect(sodUseActions).toHaveLength(8);
    expect(sodAdminActions).toContain('kms:PutKeyPolicy');
    expect(sodAdminActions).toContain('kms:ScheduleKeyDeletion');
    expect(sodAdminActions).toContain('kms:DisableKeyRotation');
    expect(sodAdminActions).toContain('kms:CreateAlias');
    expect(sodAdminActions).not.toContain('kms:CreateGrant');
    expect(sodAdminActions).not.toContain('kms:EnableKey');
  });

  it('classes by action name case-insensitively', () => {
    expect(classesOf('kms:decrypt')).toEqual(['use']);
    expect(classesOf('kms:PutKeyPolicy')).toContain('policy');
    expect(classesOf('s3:GetObject')).toEqual([]);
  });
});

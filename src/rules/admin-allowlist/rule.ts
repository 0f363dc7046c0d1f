import { z } from 'zod';
import type { PrincipalAccess } from '../../kms/access-map';
import { type Mask, maskOfActions, statementMask } from '../../kms/action-mask';
import { sodAdminActions, sodUseActions } from '../../kms/actions';
import type { ParsedPolicy } from '../../policy/types';
import type { Draft, Rule } from '../rule';
import { actionList, statementAt, statementName, who } from '../words';
import { pinnedBy, principalAllowed } from './pins';

interface Duty {
  /** `administer` or `use`. */
  verb: string;
  mask: Mask;
  allowed: readonly string[];
  setting: string;
  actionClass: string;
}

const ADMIN = maskOfActions(sodAdminActions);
const USE = maskOfActions(sodUseActions);

const held = (p: PrincipalAccess, duty: Duty): string[] =>
  p.actions.filter((a) => (maskOfActions([a]) & duty.mask) !== 0n);

function judge(p: PrincipalAccess, policy: ParsedPolicy, duty: Duty): Draft[] {
  const actions = held(p, duty);
  if (actions.length === 0) return [];
  const drafts: Draft[] = [];
  const mask = maskOfActions(actions);
  for (const v of p.via) {
    if (v.kind === 'grant') {
      if (principalAllowed(p, duty.allowed)) continue;
      drafts.push(draft(p, duty, actions, `grant:${v.grantId}`, undefined, `grant ${v.grantId}`));
      continue;
    }
    const s = statementAt(policy, v.pointer);
    if (!s || (statementMask(s) & mask) === 0n || pinnedBy(p, s, duty.allowed)) continue;
    drafts.push(draft(p, duty, actions, v.pointer, v.sid, statementName(v.sid, v.pointer)));
  }
  return drafts;
}

function draft(
  p: PrincipalAccess,
  duty: Duty,
  actions: string[],
  pointer: string,
  sid: string | undefined,
  where: string,
): Draft {
  const name = who(p.principal, p.kind);
  return {
    title: `${p.principal === '*' ? 'Anyone' : p.principal} may ${duty.verb} the key but is not an allowed ${duty.setting === 'administrators' ? 'administrator' : 'key user'}`,
    explanation: `${where} lets ${name} ${duty.verb} the key (${actionList(actions, 4)}), and neither the statement's principal nor an aws:userid / aws:PrincipalArn condition limits it to the ${duty.setting} listed in keywarden.yaml.`,
    pointer,
    sid,
    principal: p.principal,
    actionClass: duty.actionClass,
    ...(p.example ? { example: { principal: p.example.principal, action: actions[0]! } } : {}),
    remediation: {
      summary: `Give the ${duty.verb === 'administer' ? 'administrative' : 'key-use'} actions only to the ${duty.setting} of keywarden.yaml (name them as the principal, or pin the statement with an aws:PrincipalArn or aws:userid condition), or add ${p.principal} to \`${duty.setting}\` if it is one.`,
    },
  };
}

const parameters = z.strictObject({
  administrators: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Principal ARN globs, service principals, or aws:userid globs (e.g. AROAOTTER*) allowed to administer keys.',
    ),
  keyUsers: z
    .array(z.string().min(1))
    .default([])
    .describe('Principal ARN globs, service principals, or aws:userid globs allowed to use keys (empty: not checked).'),
});

export const rule: Rule<typeof parameters> = {
  id: 'admin-allowlist',
  title: 'Key administered (or used) by a principal outside the allowlist',
  severity: 'high',
  docs: {
    what: "Administrative actions (Create*, Delete*, Put*, Disable*, ScheduleKeyDeletion; not CreateGrant) are allowed to a principal that is not pinned to the `administrators` of keywarden.yaml, by the statement's principal or by an aws:userid / aws:PrincipalArn condition. With `keyUsers` set, the same check applies to key use (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*). The account principal is never a violation: access through it is bilateral and IAM decides. Inactive while the lists are empty.",
    why: 'Your standard names who may manage keys ("only roles with user ids AROAOTTER*"). A key policy that lets anyone else change the policy, disable the key or schedule its deletion breaks that standard, whatever the role is called.',
    fix: 'Move administrative actions to a statement whose principal is an allowed administrator, or pin it with a condition such as StringLike aws:userid ["AROAOTTER*"]; or add the principal to `administrators` in keywarden.yaml.',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-userid',
    ],
  },
  permissions: ['kms:GetKeyPolicy', 'kms:ListGrants'],
  parameters,
  check({ access, policy }, { params }) {
    if (!policy) return [];
    const duties: Duty[] = [
      {
        verb: 'administer',
        mask: ADMIN,
        allowed: params.administrators,
        setting: 'administrators',
        actionClass: 'admin',
      },
      { verb: 'use', mask: USE, allowed: params.keyUsers, setting: 'keyUsers', actionClass: 'use' },
    ].filter((d) => d.allowed.length > 0);
    const drafts: Draft[] = [];
    for (const duty of duties)
      for (const p of access.principals) {
        if (p.kind === 'account') continue; // bilateral: the account's IAM policies decide
        drafts.push(...judge(p, policy, duty));
      }
    return drafts;
  },
};

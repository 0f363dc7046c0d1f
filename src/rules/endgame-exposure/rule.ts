import { z } from 'zod';
import type { Statement } from '../../policy/types';
import { removeStatements } from '../policy-edit';
import type { Draft, Rule } from '../rule';
import { statementName } from '../words';

const ENDGAME = /endgame/i;

const NAME = 'endgame';

/**
 * Does the string, as JSON text, carry the name (ASCII letters in any case, as /endgame/i)? JSON escapes only quotes,
 * backslashes, control characters and lone surrogates, never letters: a name in the string is in its JSON text; the
 * hex digits of a \uXXXX escape can complete one, so strings with such characters are looked at as JSON text too.
 */
function mentionsEndgame(value: string | undefined): boolean {
  if (value === undefined) return false;
  let hexEscapes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) hexEscapes = true;
    else if ((c | 0x20) === 0x65 && nameAt(value, i)) return true;
  }
  return hexEscapes && ENDGAME.test(JSON.stringify(value));
}

function nameAt(value: string, at: number): boolean {
  if (at + NAME.length > value.length) return false;
  for (let k = 0; k < NAME.length; k++) if ((value.charCodeAt(at + k) | 0x20) !== NAME.charCodeAt(k)) return false;
  return true;
}

function anyMentions(values: readonly string[]): boolean {
  for (const v of values) if (mentionsEndgame(v)) return true;
  return false;
}

/** The Endgame signature in a statement's Sid, Principal or condition values (as their JSON text would show it). */
function signed(s: Statement): boolean {
  if (mentionsEndgame(s.sid)) return true;
  const p = s.principal;
  if (p) {
    if (mentionsEndgame(p.pointer)) return true;
    if (anyMentions(p.aws) || anyMentions(p.service) || anyMentions(p.federated) || anyMentions(p.canonicalUser))
      return true;
  }
  for (const c of s.conditions) for (const v of c.values) if (mentionsEndgame(v)) return true;
  return false;
}

export const rule: Rule = {
  id: 'endgame-exposure',
  title: 'Endgame-style backdoor in the key policy',
  severity: 'critical',
  docs: {
    what: 'The key policy carries the signature of the Endgame attack tool (a Sid or text "Endgame"), or gives kms:* to a principal outside the account, as Endgame does to backdoor a key.',
    why: 'Endgame (and attackers copying it) rewrites resource policies to give an attacker account full control. It is the most direct way to steal a key.',
    fix: 'Remove the statement at once, review CloudTrail for who called PutKeyPolicy (keywarden trail exposures), and rotate credentials of that principal.',
    references: [
      'https://github.com/salesforce/endgame',
      'https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html',
    ],
  },
  permissions: ['kms:GetKeyPolicy'],
  parameters: z.object({}),
  check({ access, policy }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    const seen = new Set<string>();
    for (const s of policy.statements) {
      if (s.effect !== 'Allow') continue;
      if (!signed(s)) continue;
      seen.add(s.pointer);
      drafts.push({
        title: 'Endgame signature in the key policy',
        explanation: `${statementName(s.sid, s.pointer)} carries the name of the Endgame attack tool, which backdoors resource policies for an attacker's account.`,
        pointer: s.pointer,
        sid: s.sid,
        principal: [...(s.principal?.aws ?? []), ...(s.principal?.anyone ? ['*'] : [])].join(',') || undefined,
        actionClass: 'all',
        remediation: {
          summary: 'Remove the statement, then investigate who changed the policy.',
          fixedPolicy: removeStatements(policy.document, [s.pointer]),
        },
      });
    }
    for (const p of access.principals) {
      if (!p.external) continue;
      for (const v of p.via) {
        if (v.kind !== 'statement' || seen.has(v.pointer)) continue;
        const s = policy.statements.find((x) => x.pointer === v.pointer);
        if (!s || !(s.action ?? []).some((a) => a === '*' || a.toLowerCase() === 'kms:*')) continue;
        seen.add(s.pointer);
        drafts.push({
          title: `kms:* given to ${p.principal === '*' ? 'anyone' : p.principal}`,
          explanation: `${statementName(v.sid, v.pointer)} gives ${p.principal === '*' ? 'Principal "*"' : p.principal}, outside the account, kms:* on this key: the shape of an Endgame-style backdoor.`,
          pointer: v.pointer,
          sid: v.sid,
          principal: p.principal,
          actionClass: 'all',
          example: p.example,
          remediation: {
            summary:
              'Remove the statement (or reduce it to the cross-account use actions intended), then investigate who changed the policy.',
            fixedPolicy: removeStatements(policy.document, [v.pointer]),
          },
        });
      }
    }
    return drafts;
  },
};

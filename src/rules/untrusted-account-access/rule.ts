import { z } from 'zod';
import { accountOf } from '../../kms/access';
import { removeConditionValues, removePrincipals } from '../policy-edit';
import type { Draft, Rule, Trusted } from '../rule';
import { accountRoot, actionList, statementAt, statementName } from '../words';

const ACCOUNT_KEYS = ['aws:principalaccount', 'kms:calleraccount'];

const trustedAccount = (t: Trusted, own: string, account: string) => account === own || t.accounts.includes(account);
const trustedPath = (t: Trusted, path: string) =>
  t.orgPaths.some((p) => path.toLowerCase().startsWith(p.toLowerCase())) ||
  t.organizations.some((o) => path.toLowerCase().startsWith(`${o.toLowerCase()}/`));

export const rule: Rule = {
  id: 'untrusted-account-access',
  title: 'Key shared with an untrusted account',
  severity: 'high',
  docs: {
    what: 'The key policy gives principals of an account outside your trusted accounts (or callers of an untrusted organization) access to the key.',
    why: 'Another account can use the key within the actions KMS allows across accounts: decrypt your data, create grants, re-encrypt. Sharing should be a decision you recorded.',
    fix: 'Remove the account from the statement, or add it to the trusted accounts in keywarden.yaml (or --trusted-account) if the sharing is intended.',
    references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html'],
  },
  permissions: ['kms:GetKeyPolicy'],
  parameters: z.object({}),
  check({ access, policy, snapshot }, { trusted }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    const own = snapshot.account;
    const named = new Set<string>();
    for (const p of access.principals) {
      if (p.kind === 'anyone' || !p.external || p.actions.length === 0 || !p.account) continue;
      named.add(p.account);
      if (trustedAccount(trusted, own, p.account)) continue;
      for (const v of p.via) {
        if (v.kind !== 'statement') continue;
        drafts.push({
          title: `Key shared with untrusted account ${p.account}`,
          explanation: `${statementName(v.sid, v.pointer)} lets ${p.principal} (account ${p.account}, not among your trusted accounts) call ${actionList(p.actions)} on this key.`,
          pointer: v.pointer,
          sid: v.sid,
          principal: p.principal,
          actionClass: p.classes.join('+'),
          example: p.example,
          remediation: {
            summary: `Remove ${p.principal} from the statement, or trust account ${p.account} in keywarden.yaml if the sharing is intended.`,
            fixedPolicy: removePrincipals(policy.document, v.pointer, (e) => accountOf(e) === p.account),
          },
        });
      }
    }
    // "*" pinned by conditions that name accounts or organizations.
    const anyone = access.principals.find((p) => p.kind === 'anyone' && !p.public);
    for (const v of anyone?.via ?? []) {
      if (v.kind !== 'statement') continue;
      const s = statementAt(policy, v.pointer);
      for (const c of s?.conditions ?? []) {
        const key = c.key.toLowerCase();
        let untrusted: string[] = [];
        if (ACCOUNT_KEYS.includes(key))
          untrusted = c.values.filter(
            (a) => access.externalAccounts.includes(a) && !named.has(a) && !trustedAccount(trusted, own, a),
          );
        else if (key === 'aws:principalorgid') untrusted = c.values.filter((o) => !trusted.organizations.includes(o));
        else if (key === 'aws:principalorgpaths') untrusted = c.values.filter((path) => !trustedPath(trusted, path));
        for (const value of untrusted) {
          const isAccount = ACCOUNT_KEYS.includes(key);
          drafts.push({
            title: isAccount
              ? `Key shared with untrusted account ${value}`
              : `Key shared with untrusted organization ${value}`,
            explanation: `${statementName(v.sid, v.pointer)} allows Principal "*" when ${c.key} is ${value}, so callers of ${
              isAccount ? `account ${value}` : `organization ${value}`
            } (not trusted) can call ${actionList(anyone!.actions)} on this key.`,
            pointer: c.pointer,
            sid: v.sid,
            principal: isAccount ? accountRoot(value) : value,
            actionClass: anyone!.classes.join('+'),
            example: anyone!.example,
            remediation: {
              summary: `Remove ${value} from ${c.key}, or trust it in keywarden.yaml if the sharing is intended.`,
              fixedPolicy: removeConditionValues(policy.document, v.pointer, c.key, (x) => x === value),
            },
          });
        }
      }
    }
    return drafts;
  },
};

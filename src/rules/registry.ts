/** Every built-in rule. Adding a rule: a folder src/rules/<id>/ and one line here. */
import { rule as adminAllowlist } from './admin-allowlist/rule';
import { rule as endgameExposure } from './endgame-exposure/rule';
import { rule as exemptKey } from './exempt-key/rule';
import { rule as externalCreateGrant } from './external-create-grant/rule';
import { rule as externalGrant } from './external-grant/rule';
import { rule as grantHygiene } from './grant-hygiene/rule';
import { rule as keyState } from './key-state/rule';
import { rule as lockoutRisk } from './lockout-risk/rule';
import { rule as policyUnreadable } from './policy-unreadable/rule';
import { rule as publicKey } from './public-key/rule';
import { rule as rotationDisabled } from './rotation-disabled/rule';
import type { Rule } from './rule';
import { rule as separationOfDuties } from './separation-of-duties/rule';
import { rule as servicePrincipalUnscoped } from './service-principal-unscoped/rule';
import { rule as untrustedAccountAccess } from './untrusted-account-access/rule';
import { rule as wildcardPermissions } from './wildcard-permissions/rule';

export const RULES: readonly Rule[] = [
  publicKey,
  endgameExposure,
  untrustedAccountAccess,
  externalGrant,
  externalCreateGrant,
  wildcardPermissions,
  lockoutRisk,
  policyUnreadable,
  separationOfDuties,
  adminAllowlist,
  rotationDisabled,
  servicePrincipalUnscoped,
  grantHygiene,
  keyState,
  exemptKey,
];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id);

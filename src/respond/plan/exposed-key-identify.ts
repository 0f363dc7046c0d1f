/**
 * Identify, pure: from the case and what AWS said (GetCallerIdentity, GetAccessKeyLastUsed, ListAccessKeys), whose
 * key it is, whether it still exists, and whether keywarden may act on it. Facts that could not be read leave the
 * answer open with a note, so the plan the event alone allows is still made when AWS is unreachable.
 */
import type { ExposedKeyCase, IdentifiedKey, IdentifyFacts, KeyStatus } from './exposed-key-types';

const ROOT_BLOCK =
  "the key is the root user's: no IAM user or role can deactivate or delete it; follow the manual procedure";

export const identifyKey = (found: ExposedKeyCase, facts: IdentifyFacts, partition = 'aws'): IdentifiedKey => {
  const notes: string[] = [];
  let userName = found.userName;
  let root = found.root;
  let status: KeyStatus | 'unknown' = 'unknown';
  let lastUsed: IdentifiedKey['lastUsed'];

  const caller = facts.callerAccount;
  const otherAccount = caller.ok && found.account !== undefined && caller.value !== found.account;
  if (!caller.ok) notes.push(`could not tell which account keywarden runs in: ${caller.reason}`);

  const owner = facts.owner;
  if (!owner.ok) {
    notes.push(`could not look the key up with GetAccessKeyLastUsed: ${owner.reason}`);
  } else if (!owner.value.found) {
    if (!otherAccount) status = 'deleted';
    notes.push(
      otherAccount
        ? `IAM in account ${caller.ok ? caller.value : '?'} does not know the key`
        : 'IAM does not know the key: it was already deleted',
    );
  } else {
    if (owner.value.root) root = true;
    const iamName = owner.value.userName;
    if (iamName && userName && iamName !== userName) {
      notes.push(`the event names user ${userName} but IAM says the key belongs to ${iamName}: ${iamName} is used`);
    }
    if (iamName) userName = iamName;
    if (owner.value.lastUsed) lastUsed = owner.value.lastUsed;
  }

  if (status === 'unknown') {
    if (facts.status.ok) status = facts.status.value;
    else if (userName && !root)
      notes.push(`could not read the key's status with ListAccessKeys: ${facts.status.reason}`);
  }

  const account = found.account ?? (caller.ok ? caller.value : undefined);
  const identified: IdentifiedKey = { root, status, notes };
  if (account) identified.account = account;
  const facts3 = [facts.callerAccount, facts.owner, facts.status];
  if (facts3.some((fact) => !fact.ok && 'retryable' in fact && fact.retryable)) identified.retryable = true;
  if (root) userName = undefined;
  if (userName) identified.userName = userName;
  if (account && userName) identified.userArn = `arn:${partition}:iam::${account}:user/${userName}`;
  else if (account && root) identified.userArn = `arn:${partition}:iam::${account}:root`;
  if (lastUsed) identified.lastUsed = lastUsed;

  if (root) identified.blocked = ROOT_BLOCK;
  else if (otherAccount && caller.ok) {
    identified.blocked = `the key belongs to account ${found.account} but keywarden runs in account ${caller.value}: run the response with credentials of account ${found.account}`;
  } else if (!userName) {
    identified.blocked = `the key's IAM user is unknown (the event does not name it${owner.ok ? '' : ' and GetAccessKeyLastUsed failed'}): keywarden needs it to act on the key`;
  }
  return identified;
};

/**
 * Template placeholders. An IaC source writes unresolved template values as `{{AWS::AccountId}}`,
 * `{{Ref:Name}}` or `{{GetAtt:Role.Arn}}`. The policy engine treats them as opaque values that equal only themselves
 * and never rejects a policy for them.
 */

/** True when the value contains a `{{...}}` placeholder. */
export function hasTemplatePlaceholder(value: string): boolean {
  const open = value.indexOf('{{');
  return open !== -1 && value.indexOf('}}', open + 2) !== -1;
}

/** True when the whole value is one placeholder standing for the stack's own account id. */
export function isAccountIdPlaceholder(value: string): boolean {
  if (!value.startsWith('{{') || !value.endsWith('}}')) return false;
  const inner = value.slice(2, -2).trim().toLowerCase();
  return inner === 'aws::accountid' || inner === 'ref:aws::accountid';
}

/**
 * Inline suppressions of template keys: `Metadata.keywarden.suppress` (read by the CloudFormation reader), Terraform
 * `# keywarden:suppress` comments (read by the HCL reader), and the same comments in CloudFormation YAML: inside the
 * key's resource block or on the comment lines right above it. Each needs a rule keywarden has and a reason.
 */
import { editDistance } from '../../policy';
import type { TemplateKey, TemplateSuppression } from './types';

export interface SuppressionProblem {
  message: string;
  line: number;
  column: number;
}

const COMMENT = /^\s*#\s*keywarden:suppress[=\s]+([A-Za-z0-9_.-]+)\s*(.*)$/;

/** `# keywarden:suppress RULE reason` comments of the YAML block of the key resource declared at `line`/`column`. */
export function yamlCommentSuppressions(
  lines: readonly string[],
  key: TemplateKey,
): { suppressions: TemplateSuppression[]; problems: SuppressionProblem[] } {
  const suppressions: TemplateSuppression[] = [];
  const problems: SuppressionProblem[] = [];
  const start = key.location?.line;
  const column = key.location?.column;
  if (start === undefined || column === undefined) return { suppressions, problems };
  const block: number[] = [];
  for (let i = start - 2; i >= 0 && /^\s*#/.test(lines[i] ?? ''); i--) block.unshift(i);
  // Comments less indented than the resource belong to it only when more of its block follows them.
  let pending: number[] = [];
  for (let i = start; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() === '') continue;
    const indent = text.length - text.trimStart().length;
    if (text.trimStart().startsWith('#')) {
      if (indent < column) pending.push(i);
      else block.push(...pending.splice(0), i);
      continue;
    }
    if (indent < column) break;
    block.push(...pending);
    pending = [];
  }
  for (const i of block) {
    const match = COMMENT.exec(lines[i] ?? '');
    if (!match) continue;
    const reason = (match[2] ?? '').trim();
    if (reason === '') {
      problems.push({
        message: `the suppression of ${match[1]} needs a reason: # keywarden:suppress ${match[1]} <why this is safe>`,
        line: i + 1,
        column: (lines[i] ?? '').indexOf('#') + 1,
      });
      continue;
    }
    suppressions.push({ rule: match[1]!, reason });
  }
  return { suppressions, problems };
}

/** Why a suppression's rule id is not one keywarden has, with the closest id, or undefined when it is known. */
export function unknownRuleProblem(rule: string, ruleIds: readonly string[]): string | undefined {
  if (ruleIds.includes(rule)) return undefined;
  const closest = [...ruleIds].sort((a, b) => editDistance(rule, a) - editDistance(rule, b))[0];
  const hint =
    closest && editDistance(rule, closest) <= Math.max(3, rule.length / 3) ? ` Did you mean ${closest}?` : '';
  return `the suppression names rule ${rule}, which keywarden does not have, so it suppresses nothing.${hint} Rule ids: ${ruleIds.join(', ')}.`;
}

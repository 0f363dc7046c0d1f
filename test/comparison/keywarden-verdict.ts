/**
 * keywarden's verdict on one peer case: the file (or the case inside a peer's test file) read as `scan` reads it,
 * the key analysed, and the topic's rule looked up. See cases.json for the words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isGap, isSkipped, type KeySnapshot } from '../../src/kms/snapshot';
import { analyseKey, NO_TRUST } from '../../src/rules/engine';
import { readTemplateInput } from '../../src/sources/iac/to-snapshots';

export type Verdict = 'FLAG' | 'PASS' | 'ERROR' | 'SKIP' | 'NOT-READ';
export type Topic = 'public' | 'rotation' | 'disabled' | 'deletion-window';

export interface PeerCase {
  peer: string;
  check: string;
  topic: Topic;
  file: string;
  /** A case inside a peer's test file: cfn-guard test name, or `terraform.bad.0` in a trivy example file. */
  case?: string;
  resource?: string;
  peerSays: string;
  keywardenSays: Verdict;
  why?: string;
}

/** The rule whose finding is keywarden's FLAG for each topic (undefined: keywarden has no such rule). */
const TOPIC_RULE: Record<Topic, string | undefined> = {
  public: 'public-key',
  rotation: 'rotation-disabled',
  disabled: 'key-state',
  'deletion-window': undefined,
};

/** The text keywarden reads for a case, and the file name it is read under. */
function inputOf(corpus: string, c: PeerCase): { text: string; name: string } {
  const text = readFileSync(join(corpus, c.file), 'utf8');
  if (c.case === undefined) return { text, name: c.file };
  const doc = parse(text) as unknown;
  if (c.peer === 'cfn-guard') {
    const found = (doc as Array<{ name: string; input: unknown }>).find((t) => t.name === c.case);
    if (!found) throw new Error(`${c.file}: no test named ${c.case}`);
    return { text: JSON.stringify(found.input, null, 2), name: `${c.file}#${c.case}.json` };
  }
  const [dialect, list, index] = c.case.split('.');
  const snippet = (doc as Record<string, Record<string, string[]>>)[dialect!]?.[list!]?.[Number(index)];
  if (snippet === undefined) throw new Error(`${c.file}: no ${c.case}`);
  return { text: snippet, name: `${c.file}#${c.case}.tf` };
}

export async function keywardenVerdict(corpus: string, c: PeerCase): Promise<{ verdict: Verdict; detail: string }> {
  const { text, name } = inputOf(corpus, c);
  const items = await readTemplateInput(text, name, { now: () => '2025-01-01T00:00:00.000Z' });
  if (items === undefined || (items.length > 0 && items.every(isSkipped)))
    return { verdict: 'NOT-READ', detail: 'not a template' };
  const keys = items.filter((i): i is KeySnapshot => !isGap(i) && !isSkipped(i));
  const chosen = c.resource ? keys.filter((k) => k.origin.logicalId === c.resource) : keys;
  if (chosen.length === 0) return { verdict: 'SKIP', detail: 'no KMS key' };
  if (c.topic === 'public' && chosen.some((k) => !k.policy.ok)) {
    const reason = chosen.find((k) => !k.policy.ok)?.policy;
    return { verdict: 'ERROR', detail: reason && !reason.ok ? reason.reason : '' };
  }
  const rule = TOPIC_RULE[c.topic];
  const hits = chosen.flatMap((k) =>
    analyseKey(k, { trusted: NO_TRUST }).findings.filter((f) => f.rule === rule && !f.suppressed),
  );
  return hits.length > 0
    ? {
        verdict: 'FLAG',
        detail: hits.map((f) => `${f.title}${f.evidence.line ? ` (line ${f.evidence.line})` : ''}`).join('; '),
      }
    : { verdict: 'PASS', detail: rule ? `no ${rule} finding` : 'keywarden has no rule for this' };
}

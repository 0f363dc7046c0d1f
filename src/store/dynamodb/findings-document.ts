/**
 * A key's whole findings history as one document, so that recording a scan of the key is a single conditional
 * write (optimistic concurrency on `version`): with no transactions, two recorders can never interleave.
 */
import type { Finding } from '../../findings/types';
import { addToDiff, type DiffLists, emptyDiff, findingStep } from '../findings-transition';
import type { FindingRecord } from '../store';

export interface StoredFinding {
  firstSeenAt: string;
  openedAt: string;
  lastSeenAt: string;
  observedAt: string;
  resolvedAt?: string;
  finding: Finding;
}

export interface FindingsDocument {
  /** The latest recording time; older recordings are stale. */
  recordedAt?: string;
  findings: Record<string, StoredFinding>;
}

export const emptyDocument = (): FindingsDocument => ({ findings: {} });

/** The document after recording `findings` at `at`, and the diff; pure. */
export const applyRecording = (
  document: FindingsDocument,
  at: string,
  findings: Finding[],
): { document: FindingsDocument; diff: DiffLists } => {
  const current = new Map(findings.map((finding) => [finding.id, finding]));
  const next: Record<string, StoredFinding> = { ...document.findings };
  const diff = emptyDiff();
  for (const id of new Set([...current.keys(), ...Object.keys(document.findings)])) {
    const stored = document.findings[id];
    const seen = current.get(id);
    const step = findingStep(stored, seen !== undefined, at);
    if (step.write === 'open' && seen) {
      next[id] = {
        firstSeenAt: stored?.firstSeenAt ?? at,
        openedAt: at,
        lastSeenAt: at,
        observedAt: at,
        finding: seen,
      };
    } else if (step.write === 'see' && seen && stored) {
      next[id] = { ...stored, lastSeenAt: at, observedAt: at, finding: seen };
    } else if (step.write === 'resolve' && stored) {
      next[id] = { ...stored, resolvedAt: at, observedAt: at };
    }
    addToDiff(diff, id, step.report);
  }
  return { document: { recordedAt: at, findings: next }, diff };
};

export const toFindingRecord = (keyArn: string, id: string, stored: StoredFinding): FindingRecord => ({
  id,
  keyArn,
  firstSeenAt: stored.firstSeenAt,
  openedAt: stored.openedAt,
  lastSeenAt: stored.lastSeenAt,
  ...(stored.resolvedAt !== undefined ? { resolvedAt: stored.resolvedAt } : {}),
  finding: stored.finding,
});

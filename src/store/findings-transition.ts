/**
 * How one finding's history moves when a key's findings are recorded at time `at`: the single definition both
 * stores apply (SQLite inside a transaction, DynamoDB as one conditional write per finding).
 */
export interface FindingState {
  openedAt: string;
  /** The latest recording time that touched this finding (seen or resolved). Writes never move it backwards. */
  observedAt: string;
  resolvedAt?: string;
}

export type FindingWrite =
  /** Absent or resolved, seen now: (re)open at `at`. */
  | 'open'
  /** Open and seen again: refresh lastSeenAt and the finding. */
  | 'see'
  /** Open and not seen: resolve at `at`. */
  | 'resolve'
  | 'none';

export interface FindingStep {
  write: FindingWrite;
  /** What the diff reports for this finding, if anything. */
  report?: 'new' | 'unchanged' | 'resolved';
}

export const findingStep = (existing: FindingState | undefined, seen: boolean, at: string): FindingStep => {
  if (existing && existing.observedAt > at) return { write: 'none' }; // a newer recording owns this finding
  if (seen) {
    if (!existing || existing.resolvedAt !== undefined) return { write: 'open', report: 'new' };
    // Replaying the recording that opened it reports it as new again (see FindingsDiff).
    return { write: 'see', report: existing.openedAt === at ? 'new' : 'unchanged' };
  }
  if (!existing) return { write: 'none' };
  if (existing.resolvedAt === undefined) return { write: 'resolve', report: 'resolved' };
  return existing.resolvedAt === at ? { write: 'none', report: 'resolved' } : { write: 'none' };
};

export interface DiffLists {
  new: string[];
  unchanged: string[];
  resolved: string[];
}

export const emptyDiff = (): DiffLists => ({ new: [], unchanged: [], resolved: [] });

export const addToDiff = (diff: DiffLists, id: string, report: FindingStep['report']): void => {
  if (report) diff[report].push(id);
};

export const sortDiff = (diff: DiffLists): DiffLists => ({
  new: [...diff.new].sort(),
  unchanged: [...diff.unchanged].sort(),
  resolved: [...diff.resolved].sort(),
});

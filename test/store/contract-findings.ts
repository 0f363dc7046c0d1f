import { expect, it } from 'vitest';
import type { Finding } from '../../src/findings/types';
import type { ContractContext } from './contract';
import { at, FINDINGS, findingFor, KEY_ARN } from './fixtures';

const [A, B, C] = FINDINGS as [Finding, Finding, Finding];
const ids = (...findings: Finding[]) => findings.map((f) => f.id).sort();

export const findingContract = (context: ContractContext): void => {
  it('diffs each recording against memory: new, unchanged, resolved', async () => {
    const store = context.store();
    expect(await store.recordFindings(KEY_ARN, at(1), [A, B])).toEqual({
      status: 'recorded',
      at: at(1),
      new: ids(A, B),
      unchanged: [],
      resolved: [],
    });
    expect(await store.recordFindings(KEY_ARN, at(2), [B, C])).toEqual({
      status: 'recorded',
      at: at(2),
      new: [C.id],
      unchanged: [B.id],
      resolved: [A.id],
    });
    expect(await store.getFinding(A.id)).toEqual({
      id: A.id,
      keyArn: KEY_ARN,
      firstSeenAt: at(1),
      openedAt: at(1),
      lastSeenAt: at(1),
      resolvedAt: at(2),
      finding: A,
    });
    expect(await store.getFinding(B.id)).toMatchObject({ firstSeenAt: at(1), lastSeenAt: at(2), finding: B });
    expect((await store.getFinding(B.id))?.resolvedAt).toBeUndefined();
    expect((await store.listFindings(KEY_ARN)).map((f) => f.id)).toEqual(ids(A, B, C));
    expect(await store.getFinding('kw1-never-recorded')).toBeUndefined();
    expect(await store.listFindings(KEY_ARN.replace('1234abcd', '00000000'))).toEqual([]);
  });

  it('reports a finding that comes back as new, keeping when it was first seen', async () => {
    const store = context.store();
    await store.recordFindings(KEY_ARN, at(1), [A]);
    expect(await store.recordFindings(KEY_ARN, at(2), [])).toMatchObject({ resolved: [A.id] });
    expect(await store.recordFindings(KEY_ARN, at(3), [])).toMatchObject({ new: [], unchanged: [], resolved: [] });
    const changed = { ...A, title: 'Another AWS account can decrypt with this key (again)' };
    expect(await store.recordFindings(KEY_ARN, at(4), [changed])).toMatchObject({ new: [A.id], resolved: [] });
    const record = await store.getFinding(A.id);
    expect(record).toMatchObject({ firstSeenAt: at(1), openedAt: at(4), lastSeenAt: at(4), finding: changed });
    expect(record?.resolvedAt).toBeUndefined();
  });

  it('reports the same diff when a recording is replayed, so a crashed alert can be sent on the retry', async () => {
    const store = context.store();
    await store.recordFindings(KEY_ARN, at(1), [A, B]);
    const first = await store.recordFindings(KEY_ARN, at(2), [B, C]);
    const replay = await store.recordFindings(KEY_ARN, at(2), [B, C]);
    expect(replay).toEqual(first);
    expect(await store.recordFindings(KEY_ARN, at(3), [B, C])).toMatchObject({
      new: [],
      unchanged: ids(B, C),
      resolved: [],
    });
  });

  it('treats an older recording as stale and changes nothing', async () => {
    const store = context.store();
    await store.recordFindings(KEY_ARN, at(5), [A]);
    expect(await store.recordFindings(KEY_ARN, at(4), [B])).toEqual({ status: 'stale', at: at(4), latestAt: at(5) });
    expect((await store.listFindings(KEY_ARN)).map((f) => [f.id, f.resolvedAt])).toEqual([[A.id, undefined]]);
    expect(await store.getFinding(B.id)).toBeUndefined();
  });

  it('ends in the latest recording’s state whatever order concurrent workers record in', async () => {
    const workers = await context.workers(3);
    const common = findingFor(KEY_ARN, 'kw1-common');
    const only = (i: number) => findingFor(KEY_ARN, `kw1-only-${i}`);
    const order = [7, 2, 9, 0, 5, 8, 1, 4, 6, 3];
    const diffs = await Promise.all(
      order.map((i, n) => workers[n % workers.length]!.recordFindings(KEY_ARN, at(i), [common, only(i)])),
    );
    expect(diffs[order.indexOf(9)]).toMatchObject({ status: 'recorded', new: expect.arrayContaining([only(9).id]) });
    const history = await context.store().listFindings(KEY_ARN);
    const open = history.filter((f) => f.resolvedAt === undefined).map((f) => f.id);
    expect(open.sort()).toEqual(['kw1-common', only(9).id].sort());
    expect(history.find((f) => f.id === 'kw1-common')?.lastSeenAt).toBe(at(9));
    // Each finding was reported new by at most the recordings that opened it at their own time.
    const newCommon = diffs.filter((d) => d.status === 'recorded' && d.new.includes('kw1-common'));
    const opened = history.find((f) => f.id === 'kw1-common')?.openedAt;
    expect(newCommon.every((d) => d.at === opened)).toBe(true);
  });

  it('lets concurrent recorders of the same event agree on one history', async () => {
    const workers = await context.workers(4);
    const diffs = await Promise.all(
      Array.from({ length: 8 }, (_, n) => workers[n % workers.length]!.recordFindings(KEY_ARN, at(1), [A])),
    );
    for (const diff of diffs) expect(diff).toMatchObject({ status: 'recorded', new: [A.id], resolved: [] });
    expect(await context.store().listFindings(KEY_ARN)).toEqual([
      { id: A.id, keyArn: KEY_ARN, firstSeenAt: at(1), openedAt: at(1), lastSeenAt: at(1), finding: A },
    ]);
  });
};

/** One account-region: list the keys and the aliases once, then collect every key with bounded concurrency. */
import { ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import type { Gap } from '../../kms/snapshot';
import { mergedPages } from './cli-json';
import { forEachLimited } from './concurrency';
import { explainFailure, toApiError } from './errors';
import {
  type Alias,
  type AliasIndex,
  allPages,
  collectKey,
  type ListedKey,
  paced,
  type RegionContext,
} from './key-collector';
import type { RegionProgress } from './progress';
import type { CollectedKey } from './types';

async function listAliases(ctx: RegionContext): Promise<AliasIndex> {
  try {
    const pages = await allPages((Marker) =>
      paced(ctx, 'ListAliases', () =>
        ctx.kms.send(new ListAliasesCommand({ Limit: 100, ...(Marker ? { Marker } : {}) })),
      ),
    );
    const { Aliases } = mergedPages<{ Aliases: Alias[] }>(pages, 'Aliases');
    const index = new Map<string, Alias[]>();
    for (const alias of Aliases) {
      if (!alias.TargetKeyId) continue; // an alias not (yet) pointing at a key
      const list = index.get(alias.TargetKeyId) ?? [];
      list.push(alias);
      index.set(alias.TargetKeyId, list);
    }
    return index;
  } catch (err) {
    return toApiError(err);
  }
}

export interface RegionScanHooks {
  emit: (item: CollectedKey | Gap) => Promise<void>;
  isCancelled: () => boolean;
  progress: RegionProgress;
  keyConcurrency: number;
}

export async function scanRegion(ctx: RegionContext, hooks: RegionScanHooks): Promise<void> {
  const { progress } = hooks;
  const where = `account ${ctx.account}, region ${ctx.region}`;
  progress.listing();
  const aliases = listAliases(ctx);
  const keys: ListedKey[] = [];
  try {
    await allPages(async (Marker) => {
      const page = await paced(ctx, 'ListKeys', () =>
        ctx.kms.send(new ListKeysCommand({ Limit: 1000, ...(Marker ? { Marker } : {}) })),
      );
      keys.push(...(page.Keys ?? []));
      return page;
    });
  } catch (err) {
    const reason = explainFailure(err, 'list keys (kms:ListKeys)', where, 'region');
    if (keys.length === 0) {
      await aliases;
      progress.failed(reason);
      await hooks.emit({ gap: true, account: ctx.account, region: ctx.region, reason });
      return;
    }
    // Keys already listed are still collected; the gap says the list may be incomplete.
    await hooks.emit({
      gap: true,
      account: ctx.account,
      region: ctx.region,
      reason: `${reason} (the key list stopped after ${keys.length} keys; keys after these were not read)`,
    });
  }

  progress.collecting(keys.length);
  await forEachLimited(keys, hooks.keyConcurrency, async (key) => {
    if (hooks.isCancelled()) return;
    const { key: collected, withErrors } = await collectKey(ctx, key, aliases);
    progress.keyDone(withErrors);
    await hooks.emit(collected);
  });
  progress.done();
}

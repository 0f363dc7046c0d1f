/**
 * A second keywarden process on the same SQLite file, for sqlite-processes.test.ts:
 * `node --import tsx sqlite-worker.ts DB_PATH NOW` claims until nothing is left and marks one event processed,
 * then prints `{ claimed, marked }` as JSON.
 */
import { openSqliteStore } from '../../src/store/sqlite';

const [path, now] = process.argv.slice(2) as [string, string];
const opened = openSqliteStore({ path });
if (!opened.ok) {
  console.error(opened.reason);
  process.exit(1);
}
const store = opened.value;
const marked = await store.markEventProcessed('shared-event', now);
const claimed: string[] = [];
for (;;) {
  const batch = await store.claim(now, 60_000, 2);
  if (batch.length === 0) break;
  claimed.push(...batch.map((m) => m.id));
}
await store.close();
console.log(JSON.stringify({ claimed, marked }));

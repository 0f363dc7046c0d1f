import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseCloudTrailEvent } from '../../src/trail/detect/event';
import { listTrailFiles } from '../../src/trail/read/files';

const dir = '/work/main/test/.cache/trail-100000-s42-v1/AWSLogs';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
let t = Date.now();
const r = await c.runAndReadAll(
  `select count(*) n from (select unnest(Records) from read_json('${dir}/**/*.json.gz', columns={'Records': 'JSON[]'}))`,
);
console.log('duck count json[]', Date.now() - t, r.getRowObjectsJson());
t = Date.now();
const r2 = { getRowObjectsJson: () => 'skip' };
console.log('duck count auto', Date.now() - t, r2.getRowObjectsJson());
t = Date.now();
const r3 = await c.runAndReadAll(
  `select sum(len(Records)) n from read_json('${dir}/**/*.json.gz', columns={'Records': 'STRUCT(eventName VARCHAR)[]'})`,
);
console.log('duck count struct', Date.now() - t, r3.getRowObjectsJson());
const list = await listTrailFiles(dir);
if (!list.ok) throw 1;
t = Date.now();
const bufs = list.files.map((f) => readFileSync(f));
console.log('read', Date.now() - t);
t = Date.now();
const texts = bufs.map((b) => gunzipSync(b).toString('utf8'));
console.log('gunzip', Date.now() - t);
t = Date.now();
const docs = texts.map((x) => JSON.parse(x));
console.log('parse', Date.now() - t);
t = Date.now();
let ok = 0;
for (const d of docs) for (const rec of d.Records) if (parseCloudTrailEvent(rec).ok) ok++;
console.log('zod', Date.now() - t, ok);

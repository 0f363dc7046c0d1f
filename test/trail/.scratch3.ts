import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { CloudTrailEventSchema } from '../../src/trail/detect/event';
import { listTrailFiles } from '../../src/trail/read/files';

const dir = '/work/main/test/.cache/trail-100000-s42-v1/AWSLogs';
const list = await listTrailFiles(dir);
if (!list.ok) throw 1;
const recs: unknown[] = [];
for (const f of list.files.slice(0, 600)) recs.push(...JSON.parse(gunzipSync(readFileSync(f)).toString()).Records);
console.log(recs.length);
const bench = (name: string, fn: (r: unknown) => unknown) => {
  for (let k = 0; k < 2; k++) {
    const t = performance.now();
    for (const r of recs) fn(r);
    console.log(name, (((performance.now() - t) * 1000) / recs.length).toFixed(2), 'us/event');
  }
};
bench('current', (r) => CloudTrailEventSchema.safeParse(r));
const t = z.string().nullish();
const S2 = z.looseObject({
  eventTime: z.string(),
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: t,
  userIdentity: z.unknown(),
  requestParameters: z.unknown(),
  responseElements: z.unknown(),
  resources: z.unknown(),
});
bench('shallow', (r) => S2.safeParse(r));
const S3 = z.object({ eventTime: z.string(), eventSource: z.string(), eventName: z.string(), awsRegion: t });
bench('object strip', (r) => S3.safeParse(r));
const S4 = CloudTrailEventSchema.extend({
  requestParameters: z.unknown(),
  responseElements: z.unknown(),
  additionalEventData: z.unknown(),
});
bench('no records', (r) => S4.safeParse(r));
bench('JSON.stringify', (r) => JSON.stringify(r));

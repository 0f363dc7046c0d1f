import { describe, expect, it } from 'vitest';
import { PUBLISHED_KMS_QUOTAS, pacedRates, TokenBucket } from '../../src/sources/aws/pacing';

describe('quota-aware pacing', () => {
  it('paces each API at the share of its published quota', () => {
    expect(pacedRates()).toEqual({
      ListKeys: 250,
      ListAliases: 250,
      DescribeKey: 1000,
      ListResourceTags: 1000,
      GetKeyPolicy: 500,
      GetKeyRotationStatus: 500,
      ListGrants: 50,
    });
    expect(pacedRates(1)).toEqual(PUBLISHED_KMS_QUOTAS);
  });

  it('--max-rps caps every API', () => {
    const rates = pacedRates(0.5, 80);
    expect(rates.DescribeKey).toBe(80);
    expect(rates.ListGrants).toBe(50);
  });

  it('hands out the burst at once, then one reservation per 1/rate seconds, in arrival order', () => {
    let now = 0;
    const bucket = new TokenBucket(50, 5, () => now);
    const waits = Array.from({ length: 8 }, () => bucket.reserve());
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5).map(Math.round)).toEqual([20, 40, 60]);
    now = 1000; // a second later the bucket is full again, never fuller than the burst
    expect(Array.from({ length: 6 }, () => bucket.reserve()).filter((w) => w === 0)).toHaveLength(5);
  });

  it('callers arriving faster than the rate are spread so no second holds more than rate + burst requests', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 10, () => now);
    const sendTimes: number[] = [];
    for (let i = 0; i < 500; i += 1) {
      now = i * 2; // a caller every 2 ms: 500 per second asked
      sendTimes.push(now + bucket.reserve());
    }
    for (const start of sendTimes) {
      const inWindow = sendTimes.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(110);
    }
    expect(Math.round(Math.max(...sendTimes))).toBe(4900); // (500 - burst) / 100 per second
    expect([...sendTimes].sort((a, b) => a - b)).toEqual(sendTimes); // first come, first served
  });
});

import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';
import { parseIpRange } from './ip';

const rows: OperatorRow[] = [
  ['IpAddress', ['203.0.113.0/24'], '203.0.113.7', true],
  ['IpAddress', ['203.0.113.0/24'], '203.0.114.7', false],
  ['IpAddress', ['203.0.113.5'], '203.0.113.5', true], // bare address = /32
  ['IpAddress', ['203.0.113.5'], '203.0.113.6', false],
  ['IpAddress', ['10.0.0.1/8'], '10.255.0.1', true], // host bits ignored
  ['IpAddress', ['0.0.0.0/0'], '8.8.8.8', true],
  ['IpAddress', ['0.0.0.0/0'], '2001:db8::1', false], // other family
  ['IpAddress', ['2001:db8::/32'], '2001:db8:1234::1', true],
  ['IpAddress', ['2001:db8::/32'], '2001:db9::1', false],
  ['IpAddress', ['2001:DB8::/32'], '2001:db8::abcd', true],
  ['IpAddress', ['::ffff:192.0.2.0/120'], '::ffff:192.0.2.33', true],
  ['IpAddress', ['2001:db8::1'], '2001:0db8:0000:0000:0000:0000:0000:0001', true],
  ['IpAddress', ['::/0'], '::1', true],
  ['IpAddress', ['203.0.113.0/24'], 'not-an-ip', false],
  ['IpAddress', ['203.0.113.0/33'], '203.0.113.1', false], // invalid block never matches
  ['IpAddress', ['203.0.113.0/24', '198.51.100.0/24'], '198.51.100.9', true],
  ['IpAddress', ['203.0.113.0/24'], undefined, false],
  ['NotIpAddress', ['203.0.113.0/24'], '198.51.100.1', true],
  ['NotIpAddress', ['203.0.113.0/24'], '203.0.113.1', false],
  ['NotIpAddress', ['203.0.113.0/24'], '2001:db8::1', true], // other family: outside the block
  ['NotIpAddress', ['203.0.113.0/24'], 'garbage', false], // not comparable
  ['NotIpAddress', ['203.0.113.0/24'], undefined, true],
  ['IpAddressIfExists', ['203.0.113.0/24'], undefined, true],
];

describe('IpAddress operators', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });

  it.each([
    ['1.2.3.4/33'],
    ['256.1.1.1'],
    ['1.2.3'],
    ['1:2:3:4:5:6:7:8:9'],
    ['1::2::3'],
    ['2001:db8::/129'],
    ['gggg::'],
    [''],
    ['/8'],
  ])('rejects %j', (text) => {
    expect(parseIpRange(text)).toBeUndefined();
  });
});

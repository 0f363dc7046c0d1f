import type { ValueMatcher } from './matcher';

/**
 * IpAddress / NotIpAddress: IPv4 and IPv6 CIDR blocks or bare addresses (a bare address is a /32 or /128).
 * An address of the other family is comparable and outside the block.
 */

export interface IpRange {
  v6: boolean;
  /** Network address: a uint32 for IPv4, a 128-bit bigint for IPv6. */
  network: number | bigint;
  prefix: number;
}

type Address = { v6: false; value: number } | { v6: true; value: bigint };

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): number | undefined {
  const m = V4.exec(text);
  if (m === null) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  if (text.length < 2 || text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const head = doubleColon === -1 ? text : text.slice(0, doubleColon);
  const tail = doubleColon === -1 ? '' : text.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  // An embedded IPv4 address in the last position counts as two groups.
  const lastList = tailGroups.length > 0 ? tailGroups : headGroups;
  const last = lastList[lastList.length - 1];
  let embedded: number | undefined;
  if (last?.includes('.')) {
    embedded = parseV4(last);
    if (embedded === undefined) return undefined;
    lastList.pop();
  }
  const toNumbers = (list: string[]): number[] | undefined => {
    const out: number[] = [];
    for (const g of list) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const h = toNumbers(headGroups);
  const t = toNumbers(tailGroups);
  if (h === undefined || t === undefined) return undefined;
  if (embedded !== undefined) t.push(Math.floor(embedded / 65536), embedded % 65536);
  const count = h.length + t.length;
  if (doubleColon === -1 ? count !== 8 : count > 7) return undefined;
  const groups = [...h];
  for (let i = count; i < 8; i++) groups.push(0);
  groups.push(...t);
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

function parseAddress(text: string): Address | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = text.includes(':') ? parseV6(text) : undefined;
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

/** Parse `10.0.0.0/8`, `2001:db8::/32`, or a bare address. */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (address === undefined) return undefined;
  const max = address.v6 ? 128 : 32;
  let prefix = max;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > max) return undefined;
  }
  if (address.v6) {
    const shift = BigInt(128 - prefix);
    return { v6: true, network: (address.value >> shift) << shift, prefix };
  }
  const network = prefix === 0 ? 0 : Math.floor(address.value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
  return { v6: false, network, prefix };
}

/** True when the address lies inside the range; undefined when `address` is not an IP address. */
export function ipInRange(range: IpRange, addressText: string): boolean | undefined {
  const address = parseAddress(addressText);
  if (address === undefined) return undefined;
  if (address.v6 !== range.v6) return false;
  if (address.v6) {
    const shift = BigInt(128 - range.prefix);
    return (address.value >> shift) << shift === range.network;
  }
  const size = 2 ** (32 - range.prefix);
  return Math.floor(address.value / size) * size === range.network;
}

export const ipAddressMatcher: ValueMatcher<IpRange> = {
  prepare: (value) => parseIpRange(value.text),
  test: (requestValue, range) => ipInRange(range, requestValue),
};

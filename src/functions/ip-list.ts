import { isIPv6 } from 'node:net';

/**
 * IP addresses and CIDR ranges as GuardDuty's plain-text (TXT) lists hold them: one per line, `#`
 * comments and blank lines ignored. Entries are compared in a normal form (IPv6 lower-case and
 * compressed, a full-length prefix as the bare address), so `2001:DB8::0:1` and `2001:db8::1/128`
 * are one entry; lines that are not entries (comments, anything GuardDuty's own parser would take)
 * are kept as they are.
 */

/** An entry the responder gave that is not an IP address or CIDR range, and why. */
export class IpEntryError extends Error {
  constructor(readonly entry: string, readonly problem: string) {
    super(`${JSON.stringify(entry)} is not ${problem}`);
    this.name = 'IpEntryError';
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const WHAT = 'an IPv4 or IPv6 address or CIDR range (e.g. 203.0.113.7, 198.51.100.0/24, 2001:db8::/32)';

/** The normal form of one entry, or an `IpEntryError` saying what is wrong with it. */
export function normaliseEntry(text: string): string {
  const entry = text.trim();
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const prefixText = slash < 0 ? undefined : entry.slice(slash + 1);
  const v4 = IPV4.test(address);
  // A zone id (`fe80::1%eth0`) names an interface, not an address GuardDuty could match.
  if (!v4 && (!isIPv6(address) || address.includes('%'))) throw new IpEntryError(entry, WHAT);
  const bits = v4 ? 32 : 128;
  const normal = v4 ? address : compressed(address);
  if (prefixText === undefined) return normal;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) throw new IpEntryError(entry, `a CIDR range: the prefix length must be 0-${bits}`);
  const prefix = Number(prefixText);
  if (prefix === bits) return normal;
  const value = v4 ? ipv4Value(normal) : ipv6Value(normal);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = v4 ? ipv4Text(value & ~hostMask) : compressed(ipv6Text(value & ~hostMask));
    throw new IpEntryError(entry, `a CIDR range: it has host bits set (did you mean ${network}/${prefix}?)`);
  }
  return `${normal}/${prefix}`;
}

/**
 * `aws_gd_ip_addresses`: entries separated by commas, semicolons, spaces or new lines, normalised,
 * duplicates dropped (first one kept). Throws `IpEntryError` on the first bad entry.
 */
export function parseEntries(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/).filter((p) => p !== '')) seen.add(normaliseEntry(part));
  return [...seen];
}

/** The outcome of an edit: the new text, what changed and what did not need to. */
export interface ListEdit {
  text: string;
  changed: string[];
  unchanged: string[];
  /** Entry lines in the new text. */
  entries: number;
}

/** Appends the entries the list does not hold yet (a list that does not exist is empty). */
export function addEntries(text: string, entries: readonly string[]): ListEdit {
  const held = new Set(lines(text).flatMap((line) => entryOf(line) ?? []));
  const changed = entries.filter((e) => !held.has(e));
  const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  const next = changed.length === 0 ? text : `${body}${changed.map((e) => `${e}\n`).join('')}`;
  return { text: next, changed, unchanged: entries.filter((e) => held.has(e)), entries: countEntries(next) };
}

/** Drops every line holding one of the entries (in any spelling of it); other lines stay as they are. */
export function removeEntries(text: string, entries: readonly string[]): ListEdit {
  const wanted = new Set(entries);
  const found = new Set<string>();
  const kept = lines(text).filter((line) => {
    const entry = entryOf(line);
    if (entry === undefined || !wanted.has(entry)) return true;
    found.add(entry);
    return false;
  });
  const next = found.size === 0 ? text : kept.map((line) => `${line}\n`).join('');
  return { text: next, changed: entries.filter((e) => found.has(e)), unchanged: entries.filter((e) => !found.has(e)), entries: countEntries(next) };
}

/** Lines that are neither blank nor comments: what GuardDuty loads. */
export function countEntries(text: string): number {
  return lines(text).filter((line) => line.trim() !== '' && !line.trim().startsWith('#')).length;
}

function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  if (all.at(-1) === '') all.pop();
  return all;
}

function entryOf(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  try {
    return normaliseEntry(trimmed);
  } catch {
    return undefined;
  }
}

/** An IPv6 address in its canonical text (RFC 5952: lower case, longest zero run as `::`), as WHATWG URL writes it. */
function compressed(address: string): string {
  return new URL(`http://[${address}]`).hostname.slice(1, -1);
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/** The 128-bit value of a compressed IPv6 address (hex groups only: URL's form has no dotted tail). */
function ipv6Value(address: string): bigint {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function ipv6Text(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A block of addresses, e.g. 10.0.0.0/8. */
export interface IpNetwork {
  readonly version: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

const DOTTED_QUAD = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses a canonical dotted-quad IPv4 or an RFC 4291 IPv6 address (no zone id); null for anything else. */
export function parseIp(text: string): IpAddress | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** Writes an address in its canonical text form (RFC 5952 for IPv6). */
export function formatIp(address: IpAddress): string {
  if (address.version === 4)
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, index) => Number((address.value >> BigInt(112 - 16 * index)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses `address/prefix`; null when either part is malformed. */
export function parseNetwork(text: string): IpNetwork | null {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return null;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  const bits = address?.version === 6 ? 128 : 32;
  if (!address || !/^(?:0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > bits) return null;
  const prefix = Number(prefixText);
  return { version: address.version, base: address.value & mask(bits, prefix), prefix };
}

/** Whether an address lies in a network of the same IP version. */
export function inNetwork(address: IpAddress, network: IpNetwork): boolean {
  const bits = address.version === 6 ? 128 : 32;
  return address.version === network.version && (address.value & mask(bits, network.prefix)) === network.base;
}

function mask(bits: number, prefix: number): bigint {
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

function parseIpv4(text: string): IpAddress | null {
  if (!DOTTED_QUAD.test(text)) return null;
  const octets = text.split('.').map(Number);
  if (octets.some((octet) => octet > 255)) return null;
  return { version: 4, value: octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n) };
}

function parseIpv6(text: string): IpAddress | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const words: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      // why: only the last piece of the address may be an embedded dotted quad (::ffff:1.2.3.4).
      const v4 = index === pieces.length - 1 && piece.includes('.') ? parseIpv4(piece) : null;
      if (v4) words.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      else if (HEX_GROUP.test(piece)) words.push(parseInt(piece, 16));
      else return null;
    }
    return words;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 2 && halves[0]!.includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return { version: 6, value: groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n) };
}

import { inNetwork, parseNetwork, type IpAddress, type IpNetwork } from './ip-address.js';

/** What kind of network an address belongs to; only `public` is reachable by default. */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'unspecified' | 'multicast' | 'metadata' | 'reserved';

/** Which non-public addresses a git host may resolve to. */
export interface AddressAllowance {
  /** Allows loopback, private, link-local and CGNAT addresses (never metadata, multicast, unspecified or reserved). */
  readonly allowPrivate: boolean;
  /** Networks allowed whatever their class, e.g. an internal forge's subnet. */
  readonly allowedNetworks: readonly IpNetwork[];
}

/** The default: public addresses only. */
export const PUBLIC_ONLY: AddressAllowance = { allowPrivate: false, allowedNetworks: [] };

const blocks = (entries: readonly (readonly [string, AddressClass])[]): (readonly [IpNetwork, AddressClass])[] =>
  entries.map(([text, kind]) => [parseNetwork(text)!, kind] as const);

// why: the first matching block wins, so metadata addresses come before the link-local and private blocks holding them.
const IPV4 = blocks([
  ['169.254.169.254/32', 'metadata'],
  ['169.254.170.2/32', 'metadata'],
  ['100.100.100.200/32', 'metadata'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const IPV6 = blocks([
  ['fd00:ec2::254/128', 'metadata'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  ['2001::/32', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
]);

// why: these IPv6 forms carry an IPv4 address that the packet reaches in the end, so that address decides.
const EMBEDDED_V4: readonly { network: IpNetwork; shift: bigint }[] = [
  { network: parseNetwork('::ffff:0:0/96')!, shift: 0n },
  { network: parseNetwork('64:ff9b::/96')!, shift: 0n },
  { network: parseNetwork('2002::/16')!, shift: 80n },
];
const GLOBAL_UNICAST = parseNetwork('2000::/3')!;

/** Classifies an address by the special-purpose registries (RFC 6890 and friends); unlisted IPv6 outside 2000::/3 is reserved. */
export function classifyAddress(address: IpAddress): AddressClass {
  if (address.version === 6) {
    for (const { network, shift } of EMBEDDED_V4) {
      if (inNetwork(address, network))
        return classifyAddress({ version: 4, value: (address.value >> shift) & 0xffffffffn });
    }
  }
  for (const [network, kind] of address.version === 4 ? IPV4 : IPV6) if (inNetwork(address, network)) return kind;
  if (address.version === 6 && !inNetwork(address, GLOBAL_UNICAST)) return 'reserved';
  return 'public';
}

const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link-local', 'cgnat']);

/** Whether a git fetch may connect to an address, given the allowance; returns the address's class either way. */
export function addressAllowed(
  address: IpAddress,
  allowance: AddressAllowance,
): { allowed: boolean; kind: AddressClass } {
  const kind = classifyAddress(address);
  if (allowance.allowedNetworks.some((network) => inNetwork(address, network))) return { allowed: true, kind };
  return { allowed: kind === 'public' || (allowance.allowPrivate && PRIVATE_CLASSES.has(kind)), kind };
}

import { isIP } from 'node:net';

/**
 * How a client address is shown in one's list of sessions: enough to recognise a place (network), not
 * enough to pin a device. IPv4 keeps three octets (203.0.113.*), IPv6 its first three groups (a /48:
 * 2001:db8:1:*); an IPv4-mapped IPv6 address is shown as IPv4; anything else (a proxy's label) as `*`.
 */
export function maskAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1]! : address;
  const kind = isIP(a);
  if (kind === 4) return `${a.split('.').slice(0, 3).join('.')}.*`;
  if (kind === 6) {
    const [head = ''] = a.split('::');
    const groups = head.split(':').filter(Boolean).slice(0, 3);
    return groups.length ? `${groups.join(':')}:*` : '*';
  }
  return '*';
}

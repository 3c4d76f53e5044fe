import ipaddr from 'ipaddr.js';

/** Why a webhook URL is refused (the API's refusal reason is `webhook_url_refused` with this as detail). */
export type WebhookUrlProblem = 'invalid' | 'not_https' | 'private_address' | 'credentials';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an endpoint may be subscribed: https only, no user:password, and not a literal address of a
 * private, loopback, link-local or otherwise non-public network (SSRF). `allowLocal` (a development and
 * test setting) also admits http and https to localhost/127.0.0.1/::1. Names are checked again when
 * resolved, at every delivery (`isPublicAddress`), so a name pointing inside the network is refused too.
 */
export function checkWebhookUrl(raw: string, allowLocal: boolean): WebhookUrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid';
  }
  if (url.username || url.password) return 'credentials';
  const local = LOCAL_NAMES.has(url.hostname);
  if (allowLocal && local && (url.protocol === 'http:' || url.protocol === 'https:')) return null;
  if (url.protocol !== 'https:') return 'not_https';
  if (local || url.hostname.endsWith('.localhost')) return 'private_address';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return 'private_address';
  return null;
}

/** Whether an IP address is on the public internet (ipaddr.js's `unicast` range; IPv4-mapped IPv6 unwrapped). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** Whether an address is the loopback (admitted only with the development setting). */
export function isLoopbackAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'loopback';
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Secrets are `whsec_` + base64 of the key bytes (Standard Webhooks). */
export const SECRET_PREFIX = 'whsec_';

/** A secret from random key bytes (the caller draws them: the core reads no random source). */
export function formatWebhookSecret(key: Uint8Array): string {
  return SECRET_PREFIX + Buffer.from(key).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
}

/**
 * The `webhook-signature` header of Standard Webhooks: for each secret, `v1,` + base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}` keyed with the secret's bytes, space-separated. During a rotation both the
 * new and the previous secret sign, so a receiver configured with either verifies.
 */
export function signWebhook(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  const content = `${messageId}.${timestampSeconds}.${body}`;
  return secrets
    .map((s) => `v1,${createHmac('sha256', keyOf(s)).update(content, 'utf8').digest('base64')}`)
    .join(' ');
}

/** Checks a signature header against one secret (for receivers written in TypeScript, and the CLI). */
export function verifyWebhookSignature(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
  header: string,
): boolean {
  const expected = Buffer.from(signWebhook([secret], messageId, timestampSeconds, body).slice(3), 'base64');
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',', 2);
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

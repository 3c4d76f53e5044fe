import { randomBytes } from 'node:crypto';
import { formatWebhookSecret } from '../../core/webhooks/index.ts';

/** A fresh signing secret: 32 random bytes, `whsec_…` (Standard Webhooks). */
export const newWebhookSecret = (): string => formatWebhookSecret(randomBytes(32));

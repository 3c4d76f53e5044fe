import type { Actor } from '../actor.ts';

const isDistrictAdmin = (actor: Actor) =>
  actor.role === 'admin' && actor.unit.kind === 'region' && actor.unit.level === 'district';

/**
 * Creating, disabling, re-assigning users and resetting their passwords: district admins — and the
 * platform itself (the `users` CLI runs as the system: whoever holds the database holds the keys).
 */
export const canManageUsers = (actor: Actor): boolean => actor.role === 'system' || isDistrictAdmin(actor);

/** Reading the audit log and verifying its chain: district admins only (the log holds personal data). */
export const canReadAudit = (actor: Actor): boolean => isDistrictAdmin(actor);

/** Editing the territory, categories, responsibility matrix and calendars (DESIGN §2): district admins. */
export const canManageReferenceData = (actor: Actor): boolean => isDistrictAdmin(actor);

/** Subscribing other systems to case events (webhooks, DESIGN §8) and reading their deliveries: district admins. */
export const canManageWebhooks = (actor: Actor): boolean => isDistrictAdmin(actor);

/** Registering Open311 client systems (the 12345 hotline, apps) and disabling them (DESIGN §8): district admins. */
export const canManageOpen311Clients = (actor: Actor): boolean => isDistrictAdmin(actor);

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canManageOpen311Clients } from '../../core/policy/admin.ts';
import type { Database } from '../../db/database.ts';
import type { Open311ClientSource } from '../../db/schema/open311.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { hashOpen311Key, newOpen311Key, open311KeyHint } from './client-key.ts';

export interface Open311ClientView {
  id: string;
  name: string;
  source: Open311ClientSource;
  keyHint: string;
  enabled: boolean;
  createdAt: string;
  /** Service requests this client created. */
  requestCount: number;
}

interface Deps {
  database: Database;
  now: () => Date;
}

function assertCanManage(actor: Actor): void {
  if (!canManageOpen311Clients(actor))
    throw new AppError('forbidden', 'Only district administrators manage Open311 clients');
}

/** Clients with how many requests each created, newest first. */
export async function listOpen311Clients(deps: Deps, actor: Actor): Promise<Open311ClientView[]> {
  assertCanManage(actor);
  return readClients(deps.database, null);
}

async function readClients(database: Database, id: string | null): Promise<Open311ClientView[]> {
  let q = database.db
    .selectFrom('open311_clients as c')
    .select([
      'c.id',
      'c.name',
      'c.source',
      'c.key_hint',
      'c.enabled',
      'c.created_at',
      sql<number>`(select count(*) from open311_requests r where r.client_id = c.id)::int`.as('requests'),
    ])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id');
  if (id) q = q.where('c.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    source: r.source,
    keyHint: r.key_hint,
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
    requestCount: Number(r.requests),
  }));
}

/**
 * Registers a client system (audited). The key is returned here once; only its SHA-256 is kept
 * (client-key.ts says why). `key` is for the demo seed only (its published demo key).
 */
export async function registerOpen311Client(
  deps: Deps,
  actor: Actor,
  input: { name: string; source: Open311ClientSource; key?: string },
  client: { address?: string } = {},
): Promise<{ client: Open311ClientView; key: string }> {
  if (actor.role !== 'system') assertCanManage(actor);
  const now = deps.now();
  const id = randomUUID();
  const key = input.key ?? newOpen311Key();
  await deps.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('open311_clients')
      .values({
        id,
        name: input.name,
        source: input.source,
        key_hash: hashOpen311Key(key),
        key_hint: open311KeyHint(key),
        enabled: true,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'open311_client.register',
      target: `open311_client:${id}`,
      address: client.address ?? null,
      payload: { name: input.name, source: input.source },
      at: now,
    });
  });
  const [view] = await readClients(deps.database, id);
  return { client: view!, key };
}

/** Enables or disables a client (audited); a disabled client's key is refused with 403. */
export async function setOpen311ClientEnabled(
  deps: Deps,
  actor: Actor,
  id: string,
  enabled: boolean,
  client: { address?: string } = {},
): Promise<Open311ClientView> {
  assertCanManage(actor);
  const now = deps.now();
  await deps.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('open311_clients')
      .set({ enabled, updated_at: now })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `No Open311 client ${id}`);
    await appendAudit(trx, {
      actor,
      action: enabled ? 'open311_client.enable' : 'open311_client.disable',
      target: `open311_client:${id}`,
      address: client.address ?? null,
      at: now,
    });
  });
  const [view] = await readClients(deps.database, id);
  return view!;
}

/** The enabled client a key belongs to, or why not: null for no key match, 'disabled' for a disabled one. */
export async function findOpen311Client(
  database: Database,
  key: string,
): Promise<{ id: string; name: string; source: Open311ClientSource } | 'disabled' | null> {
  const row = await database.db
    .selectFrom('open311_clients')
    .select(['id', 'name', 'source', 'enabled'])
    .where('key_hash', '=', hashOpen311Key(key))
    .executeTakeFirst();
  if (!row) return null;
  return row.enabled ? { id: row.id, name: row.name, source: row.source } : 'disabled';
}

import type { Actor } from '../../core/actor.ts';
import { normalizeAddress } from '../../core/baseinfo/address.ts';
import { SERVICE_ATTRIBUTES, type Open311Error } from '../../core/open311/index.ts';
import type { Open311PostInput } from '../../core/open311/post-request.ts';
import { isPublicCategory } from '../../core/policy/public-follow-up.ts';
import { AppError } from '../../core/errors.ts';
import { piiKeyring } from '../baseinfo/pii.ts';
import { createCase } from '../cases/create-case.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { open311ContactColumns } from './contact-columns.ts';
import { findOpen311Client } from './open311-clients.ts';

/** The answer to POST requests: the specification's fields, plus our private follow-up code (查询码). */
export interface Open311Created {
  service_request_id: string;
  service_notice: string;
  account_id: string | null;
  /** With the number, lets the citizen follow the case on our public page (issue 9 §8); not in the spec. */
  follow_up_code: string | null;
}

const fail = (status: number, description: string): Open311Error => ({ status, code: status, description });

/**
 * POST Service Request (issue 15): a registered, enabled client's request becomes a case through the real
 * intake (`createCase`) — source 'citizen' or 'hotline' per the client, verified on site before
 * registration like any citizen report, routed, clocked, notified, audited — and the Open311 row (client,
 * media_url, attribute answers, contact fields without a column on cases) is written in the same
 * transaction. Creation is synchronous: the answer carries the case number, never a token.
 * Stability and dispute categories (不稳定因素, 矛盾纠纷) and sensitive ones are refused: they are reported
 * in person, and their cases never appear publicly.
 */
export async function createOpen311Request(
  deps: CaseDeps,
  input: Open311PostInput,
  options: { clientAddress?: string | undefined; idempotencyKey?: string | undefined } = {},
): Promise<Open311Created | Open311Error> {
  const db = deps.database.db;
  const client = await findOpen311Client(deps.database, input.apiKey);
  if (client === null) return fail(403, 'api_key is not valid');
  if (client === 'disabled') return fail(403, 'api_key is disabled');

  const category = await db
    .selectFrom('categories')
    .select(['code', 'sensitive', 'stability'])
    .where('code', '=', input.serviceCode)
    .where('active', '=', true)
    .where('parent_code', 'is not', null)
    .executeTakeFirst();
  if (!category) return fail(404, `service_code ${input.serviceCode} not found`);
  if (!isPublicCategory(category))
    return fail(400, `service_code ${input.serviceCode} cannot be reported by other systems; call in person`);

  let point = input.point;
  let addressId: string | null = null;
  if (input.location.kind !== 'point') {
    const q = db.selectFrom('base_addresses').select(['id', 'lon', 'lat']);
    const rows =
      input.location.kind === 'address_id'
        ? await q
            .where((eb) =>
              eb.or([
                eb('id', '=', (input.location as { id: string }).id),
                eb('code', '=', (input.location as { id: string }).id),
              ]),
            )
            .limit(2)
            .execute()
        : await q.where('normalized', '=', normalizeAddress(input.location.text)).limit(2).execute();
    if (rows.length === 0)
      return fail(
        400,
        input.location.kind === 'address_id'
          ? `address_id ${input.location.id} not found`
          : 'address_string matches no standard address',
      );
    if (rows.length > 1) return fail(400, 'address_string matches several standard addresses');
    const row = rows[0]!;
    addressId = row.id;
    if (row.lon !== null && row.lat !== null) point = { lon: row.lon, lat: row.lat };
    if (!point) return fail(400, 'the address has no location; send lat/long with it');
  }
  if (!point) return fail(400, 'a location is required: lat/long, address_string or address_id');

  const definition = SERVICE_ATTRIBUTES[category.code] ?? [];
  const answers = definition
    .filter((a) => input.attributes[a.code] !== undefined)
    .map((a) => `${a.description}: ${input.attributes[a.code]}`);
  const description = [input.description, ...answers].join('\n');
  const c = input.contact;
  const name = [c.lastName, c.firstName].filter(Boolean).join('') || null;
  const actor: Actor = {
    userId: 'system',
    username: `open311:${client.id}`,
    displayName: client.name,
    role: 'system',
    unit: { kind: 'none' },
  };
  const keyring = piiKeyring();
  let created: Awaited<ReturnType<typeof createCase>>;
  try {
    created = await createCase(
      deps,
      actor,
      {
        source: client.source,
        category: category.code,
        description,
        location: { lon: point.lon, lat: point.lat, crs: 'wgs84' },
        addressId,
        // the phone is the reporter's phone like every source's; an e-mail stays encrypted below
        reporter: { name: name ?? undefined, phone: c.phone ?? undefined },
      },
      {
        clientAddress: options.clientAddress,
        // a retry with the same Idempotency-Key (per client) and the same request creates nothing new
        idempotencyKey: options.idempotencyKey ? `${client.id}:${options.idempotencyKey}` : undefined,
        alsoWrite: async (trx, caseId, now) => {
          await trx
            .insertInto('open311_requests')
            .values({
              case_id: caseId,
              client_id: client.id,
              media_url: input.mediaUrl,
              attributes: JSON.stringify(input.attributes) as unknown as Record<string, string>,
              // contact fields at rest: encrypted, with keyed hashes to find a citizen's requests (0029)
              ...open311ContactColumns(keyring, client.id, {
                email: c.email,
                deviceId: c.deviceId,
                accountId: c.accountId,
              }),
              created_at: now,
            })
            .execute();
        },
      },
    );
  } catch (e) {
    if (e instanceof AppError && e.code === 'idempotency_conflict')
      return fail(409, 'Idempotency-Key was used for a different request');
    throw e;
  }
  return {
    service_request_id: created.case.caseNo,
    service_notice: '已受理，将先核实后立案 Received; it will be verified on site before registration.',
    account_id: c.accountId,
    follow_up_code: created.followUpCode,
  };
}

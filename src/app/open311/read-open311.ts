import type { Kysely } from 'kysely';
import {
  open311Status,
  SERVICE_ATTRIBUTES,
  type Open311Attribute,
  type Open311Error,
  type RequestQuery,
} from '../../core/open311/index.ts';
import type { DB } from '../../db/schema/index.ts';

/** One service (a 小类 of our categories) as GET services lists it. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** One service request (a case) as GET requests answers it. */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

/** The jurisdiction this endpoint serves: the district's region code (accepted as `jurisdiction_id`). */
export async function open311Jurisdiction(db: Kysely<DB>): Promise<string | null> {
  const row = await db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'district')
    .orderBy('code')
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Checks `jurisdiction_id` when given: it must name our district. */
export async function checkJurisdiction(
  db: Kysely<DB>,
  given: string | undefined,
): Promise<Open311Error | null> {
  if (given === undefined) return null;
  const ours = await open311Jurisdiction(db);
  return given === ours
    ? null
    : {
        status: 404,
        code: 404,
        description: `jurisdiction_id ${given} is not served here (${ours ?? 'none'})`,
      };
}

/** Our active 小类 as services, grouped by their 大类; the metadata flag says a definition asks for more. */
export async function listOpen311Services(db: Kysely<DB>): Promise<Open311Service[]> {
  const rows = await db
    .selectFrom('categories as c')
    .innerJoin('categories as p', 'p.code', 'c.parent_code')
    .select(['c.code', 'c.name_zh', 'c.name_en', 'p.name_zh as group_zh', 'p.name_en as group_en'])
    .where('c.active', '=', true)
    .orderBy('p.sort')
    .orderBy('c.sort')
    .orderBy('c.code')
    .execute();
  return rows.map((r) => ({
    service_code: r.code,
    service_name: r.name_zh,
    description: `${r.name_zh} (${r.name_en})`,
    metadata: (SERVICE_ATTRIBUTES[r.code]?.length ?? 0) > 0,
    type: 'realtime' as const,
    keywords: [r.name_zh, r.name_en, r.group_zh, r.group_en].join(','),
    group: r.group_zh,
  }));
}

/** A service definition: its attributes (empty for services without metadata); null for an unknown code. */
export async function getOpen311Service(
  db: Kysely<DB>,
  code: string,
): Promise<{ service_code: string; attributes: readonly Open311Attribute[] } | null> {
  const row = await db
    .selectFrom('categories')
    .select('code')
    .where('code', '=', code)
    .where('active', '=', true)
    .where('parent_code', 'is not', null)
    .executeTakeFirst();
  if (!row) return null;
  return { service_code: row.code, attributes: SERVICE_ATTRIBUTES[row.code] ?? [] };
}

/**
 * Service requests: our cases, newest first, never those of sensitive categories (不稳定因素, 矛盾纠纷, or
 * flagged) nor cases flagged as stability information, and without the reporter. `status_notes` is the note
 * of the closing (or refusing) action when there is one.
 */
export async function listOpen311Requests(db: Kysely<DB>, query: RequestQuery): Promise<Open311Request[]> {
  let q = db
    .selectFrom('cases as c')
    .leftJoin('categories as k', 'k.code', 'c.category_code')
    .leftJoin('departments as d', 'd.id', 'c.lead_department_id')
    .select([
      'c.id',
      'c.case_no',
      'c.state',
      'c.category_code',
      'k.name_zh as category_name',
      'c.description',
      'd.name as department',
      'c.reported_at',
      'c.updated_at',
      'c.due_at',
      'c.address',
      'c.lon',
      'c.lat',
    ])
    .where('c.stability', '=', false)
    .where((eb) =>
      eb.or([
        eb('k.code', 'is', null),
        eb.and([eb('k.sensitive', '=', false), eb('k.stability', '=', false)]),
      ]),
    );
  if (query.ids) {
    q = q.where('c.case_no', 'in', query.ids);
  } else {
    q = q.where('c.reported_at', '>=', query.from).where('c.reported_at', '<=', query.to);
    if (query.serviceCodes.length > 0) q = q.where('c.category_code', 'in', query.serviceCodes);
    if (query.statuses.length === 1) {
      const closed = ['closed', 'rejected', 'cancelled'] as const;
      q =
        query.statuses[0] === 'closed'
          ? q.where('c.state', 'in', closed)
          : q.where('c.state', 'not in', closed);
    }
  }
  const rows = await q
    .orderBy('c.reported_at', 'desc')
    .orderBy('c.case_no', 'desc')
    .limit(query.limit)
    .execute();
  const notes = new Map<string, string>();
  const closedIds = rows.filter((r) => open311Status(r.state) === 'closed').map((r) => r.id);
  if (closedIds.length > 0) {
    const events = await db
      .selectFrom('case_events')
      .select(['case_id', 'payload'])
      .where('case_id', 'in', closedIds)
      .where('action', 'in', ['close', 'reject', 'cancel'])
      .orderBy('seq')
      .execute();
    for (const e of events) {
      const p = e.payload as { note?: unknown; reason?: unknown } | null;
      const note = typeof p?.note === 'string' ? p.note : typeof p?.reason === 'string' ? p.reason : null;
      if (note) notes.set(e.case_id, note);
    }
  }
  return rows.map((r) => ({
    service_request_id: r.case_no,
    status: open311Status(r.state),
    status_notes: notes.get(r.id) ?? null,
    service_name: r.category_name,
    service_code: r.category_code,
    description: r.description,
    agency_responsible: r.department,
    service_notice: null,
    requested_datetime: r.reported_at.toISOString(),
    updated_datetime: r.updated_at.toISOString(),
    expected_datetime: r.due_at?.toISOString() ?? null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: null,
  }));
}

import type { Kysely } from 'kysely';
import { open311Status, type RequestQuery } from '../../core/open311/index.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Open311Request } from './types.ts';

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

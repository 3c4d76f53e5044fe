/**
 * Open311 GeoReport v2 (issue 15, DESIGN §8), pure: how our cases and categories read as service requests
 * and services, the query window and the parameters of GET requests, and the specification's error list.
 * Specification: https://wiki.open311.org/GeoReport_v2 (frozen).
 */

export type Open311Status = 'open' | 'closed';

/** States in which a case is over for a citizen: closed, not registered (不予立案), cancelled (作废). */
const CLOSED_STATES = new Set(['closed', 'rejected', 'cancelled']);

export const open311Status = (state: string): Open311Status => (CLOSED_STATES.has(state) ? 'closed' : 'open');

/** GET requests without a date range covers this much (the specification's default and maximum span). */
export const DEFAULT_WINDOW_DAYS = 90;
/** At most this many requests in one answer (the specification's suggested limit). */
export const MAX_REQUESTS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** An Open311 error: the HTTP status it answers with, and the specification's `{code, description}`. */
export interface Open311Error {
  status: number;
  code: number;
  description: string;
}
const fail = (status: number, description: string): Open311Error => ({ status, code: status, description });
export const isOpen311Error = (v: unknown): v is Open311Error =>
  typeof v === 'object' && v !== null && 'description' in v && 'status' in v;

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A date/time as the specification writes it (the W3C profile of ISO 8601): a full date, or a date and time
 * with seconds optional and a time zone (`Z` or `±hh:mm`) required. A date alone is midnight in Beijing,
 * where the district is. Impossible dates (2026-02-30, 25:00) are refused: null.
 */
export function parseW3cDateTime(text: string): Date | null {
  const m = W3C.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', tz] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (tz && tz !== 'Z') {
    const [oh, om] = tz.slice(1).split(':').map(Number);
    if (oh! > 14 || om! > 59) return null;
  }
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${tz ?? '+08:00'}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface RequestQueryInput {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

export interface RequestQuery {
  /** When given, the other filters are ignored (the specification says so). */
  ids: string[] | null;
  serviceCodes: string[];
  statuses: Open311Status[];
  from: Date;
  to: Date;
  limit: number;
}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Reads the parameters of GET requests: `service_request_id` (comma-separated; when present the others are
 * ignored), `service_code` (comma-separated), `status` (`open`/`closed`, comma-separated; default both),
 * `start_date`/`end_date` on `requested_datetime` — at most 90 days apart; without them the last 90 days
 * (only a start: 90 days from it; only an end: the 90 days up to it) — and at most 1000 requests.
 */
export function readRequestQuery(input: RequestQueryInput, now: Date): RequestQuery | Open311Error {
  const ids = list(input.service_request_id);
  if (ids.length > 200) return fail(400, 'service_request_id: at most 200 ids');
  const statuses = list(input.status);
  for (const s of statuses)
    if (s !== 'open' && s !== 'closed') return fail(400, `status: "${s}" is neither open nor closed`);
  const start = input.start_date === undefined ? null : parseW3cDateTime(input.start_date);
  if (input.start_date !== undefined && !start) return fail(400, 'start_date: not a W3C date/time');
  const end = input.end_date === undefined ? null : parseW3cDateTime(input.end_date);
  if (input.end_date !== undefined && !end) return fail(400, 'end_date: not a W3C date/time');
  let from: Date;
  let to: Date;
  if (start && end) {
    if (end < start) return fail(400, 'end_date is before start_date');
    if (end.getTime() - start.getTime() > DEFAULT_WINDOW_DAYS * DAY_MS)
      return fail(400, `start_date and end_date may be at most ${DEFAULT_WINDOW_DAYS} days apart`);
    [from, to] = [start, end];
  } else if (start) {
    [from, to] = [start, new Date(start.getTime() + DEFAULT_WINDOW_DAYS * DAY_MS)];
  } else if (end) {
    [from, to] = [new Date(end.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS), end];
  } else {
    [from, to] = [new Date(now.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS), now];
  }
  const services = list(input.service_code);
  for (const c of services)
    if (!/^[0-9]{2}([0-9]{2})?$/.test(c)) return fail(404, `service_code ${c} not found`);
  return {
    ids: ids.length > 0 ? ids : null,
    serviceCodes: services,
    statuses: (statuses.length > 0 ? [...new Set(statuses)] : ['open', 'closed']) as Open311Status[],
    from,
    to,
    limit: MAX_REQUESTS,
  };
}

/** The attributes a service asks for beyond the standard fields (a service definition, `metadata: true`). */
export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

/** Attributes per category where we want more than the description (by 小类 code). */
export const SERVICE_ATTRIBUTES: Readonly<Record<string, readonly Open311Attribute[]>> = {
  // 群租: how many people live there, and how many rooms the flat was split into
  '0101': [
    {
      variable: true,
      code: 'people_count',
      datatype: 'number',
      required: false,
      datatype_description: '居住人数 (number of people living there)',
      order: 1,
      description: '居住人数 Number of people living there',
    },
    {
      variable: true,
      code: 'room_count',
      datatype: 'number',
      required: false,
      datatype_description: '隔间数 (rooms the flat is split into)',
      order: 2,
      description: '隔间数 Rooms the flat is split into',
    },
  ],
};

/** The specification's error list. */
export const open311Errors = (e: Open311Error) => [{ code: e.code, description: e.description }];

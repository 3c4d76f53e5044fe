import { SERVICE_ATTRIBUTES, type Open311Error } from './index.ts';

/**
 * POST Service Request (GeoReport v2), pure: reads the submitted fields — form-encoded as the
 * specification says, or JSON — into what intake needs, or the specification's error. `attribute[code]`
 * answers are checked against the service definition (SERVICE_ATTRIBUTES): unknown codes, missing required
 * ones and values of the wrong datatype are refused, never dropped silently.
 */
export interface Open311PostInput {
  apiKey: string;
  serviceCode: string;
  location:
    | { kind: 'point'; lat: number; lon: number }
    | { kind: 'address_string'; text: string }
    | { kind: 'address_id'; id: string };
  /** lat/long given alongside an address (used when the address has no point). */
  point: { lat: number; lon: number } | null;
  description: string;
  mediaUrl: string | null;
  attributes: Record<string, string>;
  contact: {
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    phone: string | null;
    deviceId: string | null;
    accountId: string | null;
  };
}

const fail = (status: number, description: string): Open311Error => ({ status, code: status, description });

/** Flattens a body: `attribute[x]` keys kept, a JSON `attribute: {x: v}` object spread into them. */
export function flattenPostBody(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return out;
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attribute' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [ak, av] of Object.entries(v))
        if (typeof av === 'string' || typeof av === 'number') out[`attribute[${ak}]`] = String(av);
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

const LIMITS: Record<string, number> = {
  description: 4000,
  media_url: 2000,
  address_string: 200,
  address_id: 64,
  email: 200,
  first_name: 50,
  last_name: 50,
  phone: 40,
  device_id: 200,
  account_id: 200,
};

function readNumber(text: string | undefined, min: number, max: number): number | null | 'bad' {
  if (text === undefined || text.trim() === '') return null;
  if (!/^[+-]?\d+(\.\d+)?$/.test(text.trim())) return 'bad';
  const n = Number(text);
  return Number.isFinite(n) && n >= min && n <= max ? n : 'bad';
}

/** Reads and checks the POSTed fields (everything but the key's validity and the service's existence). */
export function readPostRequest(fields: Record<string, string>): Open311PostInput | Open311Error {
  const get = (k: string) => {
    const v = fields[k]?.trim();
    return v ? v : null;
  };
  const apiKey = get('api_key');
  if (!apiKey) return fail(400, 'api_key was not provided');
  const serviceCode = get('service_code');
  if (!serviceCode) return fail(400, 'service_code was not provided');
  for (const [k, max] of Object.entries(LIMITS))
    if ((fields[k]?.length ?? 0) > max) return fail(400, `${k}: at most ${max} characters`);

  const lat = readNumber(fields.lat, -90, 90);
  const lon = readNumber(fields.long, -180, 180);
  if (lat === 'bad' || lon === 'bad') return fail(400, 'lat/long: not WGS84 decimal degrees');
  if ((lat === null) !== (lon === null)) return fail(400, 'lat and long must be given together');
  const point = lat !== null && lon !== null ? { lat, lon } : null;
  const addressString = get('address_string');
  const addressId = get('address_id');
  const location: Open311PostInput['location'] | null = addressId
    ? { kind: 'address_id', id: addressId }
    : addressString
      ? { kind: 'address_string', text: addressString }
      : point
        ? { kind: 'point', ...point }
        : null;
  if (!location) return fail(400, 'a location is required: lat/long, address_string or address_id');

  const description = get('description');
  if (!description) return fail(400, 'description was not provided');
  const mediaUrl = get('media_url');
  if (mediaUrl && !/^https?:\/\/[^\s]+$/i.test(mediaUrl)) return fail(400, 'media_url: not an http(s) URL');

  const definition = SERVICE_ATTRIBUTES[serviceCode] ?? [];
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    const m = /^attribute\[(.+)\]$/.exec(k);
    if (!m) continue;
    const code = m[1]!;
    const attr = definition.find((a) => a.code === code);
    if (!attr) return fail(400, `attribute[${code}]: the service has no such attribute`);
    const value = v.trim();
    if (value.length > 500) return fail(400, `attribute[${code}]: at most 500 characters`);
    if (attr.datatype === 'number' && value !== '' && !/^\d{1,9}$/.test(value))
      return fail(400, `attribute[${code}]: not a whole number`);
    if (attr.datatype === 'singlevaluelist' && attr.values && !attr.values.some((x) => x.key === value))
      return fail(400, `attribute[${code}]: not one of the listed values`);
    if (value !== '') attributes[code] = value;
  }
  for (const a of definition)
    if (a.required && a.variable && attributes[a.code] === undefined)
      return fail(400, `attribute[${a.code}] is required`);

  return {
    apiKey,
    serviceCode,
    location,
    point,
    description,
    mediaUrl,
    attributes,
    contact: {
      email: get('email'),
      firstName: get('first_name'),
      lastName: get('last_name'),
      phone: get('phone'),
      deviceId: get('device_id'),
      accountId: get('account_id'),
    },
  };
}

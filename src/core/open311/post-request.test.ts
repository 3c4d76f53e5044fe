import { describe, expect, it } from 'vitest';
import { isOpen311Error } from './index.ts';
import { flattenPostBody, readPostRequest } from './post-request.ts';

const base = {
  api_key: 'o311_k',
  service_code: '0101',
  lat: '31.15',
  long: '121.385',
  description: '疑似群租',
};
const errorOf = (fields: Record<string, string>) => {
  const r = readPostRequest(fields);
  if (!isOpen311Error(r)) throw new Error(`accepted: ${JSON.stringify(r)}`);
  return r;
};

describe('Open311 POST service request fields', () => {
  it('reads a complete request: point, attributes, contact', () => {
    const r = readPostRequest({
      ...base,
      'attribute[people_count]': ' 12 ',
      media_url: 'https://example.org/a.jpg',
      first_name: '小明',
      last_name: '王',
      email: 'w@example.org',
    });
    expect(isOpen311Error(r)).toBe(false);
    if (isOpen311Error(r)) return;
    expect(r.location).toEqual({ kind: 'point', lat: 31.15, lon: 121.385 });
    expect(r.attributes).toEqual({ people_count: '12' });
    expect(r.contact).toMatchObject({
      firstName: '小明',
      lastName: '王',
      email: 'w@example.org',
      phone: null,
    });
    expect(r.mediaUrl).toBe('https://example.org/a.jpg');
  });

  it('prefers address_id, then address_string, over the point (kept as a fallback)', () => {
    const byId = readPostRequest({ ...base, address_id: 'A1', address_string: '古美路1号' });
    expect(!isOpen311Error(byId) && byId.location).toEqual({ kind: 'address_id', id: 'A1' });
    const byText = readPostRequest({ ...base, address_string: '古美路1号' });
    expect(!isOpen311Error(byText) && byText.location).toEqual({ kind: 'address_string', text: '古美路1号' });
    expect(!isOpen311Error(byText) && byText.point).toEqual({ lat: 31.15, lon: 121.385 });
  });

  it('refuses what the specification requires and is missing, with 400', () => {
    const { api_key: _k, ...noKey } = base;
    expect(errorOf(noKey)).toEqual({ status: 400, code: 400, description: 'api_key was not provided' });
    expect(errorOf({ ...base, api_key: '   ' }).status).toBe(400);
    const { service_code: _s, ...noService } = base;
    expect(errorOf(noService).description).toMatch(/service_code/);
    const { lat: _a, long: _b, ...nowhere } = base;
    expect(errorOf(nowhere).description).toMatch(/location/);
    const { description: _d, ...noText } = base;
    expect(errorOf(noText).description).toMatch(/description/);
  });

  it('refuses impossible coordinates and half a point', () => {
    for (const [lat, long] of [
      ['90.0001', '121'],
      ['31', '-180.5'],
      ['1e3', '121'],
      ['NaN', '121'],
      ['Infinity', '121'],
      ['31,1', '121'],
    ])
      expect(errorOf({ ...base, lat: lat!, long: long! }).status).toBe(400);
    expect(errorOf({ ...base, long: '' }).description).toMatch(/together/);
    expect(isOpen311Error(readPostRequest({ ...base, lat: '-90', long: '180' }))).toBe(false);
  });

  it('checks attributes against the service definition: unknown, wrong type, other service', () => {
    expect(errorOf({ ...base, 'attribute[nope]': '1' }).description).toMatch(/no such attribute/);
    expect(errorOf({ ...base, 'attribute[people_count]': '3.5' }).description).toMatch(/whole number/);
    expect(errorOf({ ...base, 'attribute[people_count]': '1234567890' }).status).toBe(400);
    expect(errorOf({ ...base, service_code: '0501', 'attribute[people_count]': '3' }).status).toBe(400);
    const empty = readPostRequest({ ...base, 'attribute[room_count]': '' });
    expect(!isOpen311Error(empty) && empty.attributes).toEqual({});
  });

  it('refuses oversize fields and non-http media URLs (stored, never fetched)', () => {
    expect(errorOf({ ...base, description: 'x'.repeat(4001) }).status).toBe(400);
    expect(errorOf({ ...base, phone: '1'.repeat(41) }).status).toBe(400);
    expect(errorOf({ ...base, media_url: 'file:///etc/passwd' }).description).toMatch(/media_url/);
    expect(errorOf({ ...base, media_url: 'javascript:alert(1)' }).status).toBe(400);
  });

  it('flattens JSON bodies: numbers as text, an attribute object into attribute[code] keys', () => {
    expect(
      flattenPostBody({ lat: 31.1, long: 121, attribute: { people_count: 3 }, nested: { x: 1 }, list: [1] }),
    ).toEqual({ lat: '31.1', long: '121', 'attribute[people_count]': '3' });
    expect(flattenPostBody(null)).toEqual({});
    expect(flattenPostBody(['a'])).toEqual({});
  });
});

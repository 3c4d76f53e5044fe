import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { walkCaseToClosure } from './support/webhooks.ts';

/**
 * Open311 GeoReport v2 read side, checked against the specification's text (wiki.open311.org/GeoReport_v2),
 * not against our own output: the fields each method must carry, both formats by suffix, UTF-8 XML with its
 * declaration, the default 90-day window, the filters, and the `[{code, description}]` errors.
 */
describe('Open311 GeoReport v2 (read side)', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-04T02:00:00Z');
  const parser = new XMLParser({
    parseTagValue: false,
    isArray: (name) => ['service', 'request', 'error', 'attribute', 'endpoint', 'format'].includes(name),
  });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const ids: Record<string, string> = {};

  const report = async (category: string, description: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: users.get('patroller.a')!.auth,
      payload: { category, description, location: T.inGumeiC1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ case: { caseNo: string } }>().case.caseNo;
  };
  /** Checks the declaration and validity, then parses; `T` is the shape the specification gives the document. */
  const xmlOf = <T>(body: string): T => {
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(XMLValidator.validate(body)).toBe(true);
    return parser.parse(body) as T;
  };
  type XmlErrors = { errors: { error: { code: string; description: string }[] } };
  type XmlRequests = { service_requests: { request: Record<string, string>[] } };

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
    ids.old = await report('0501', '很久以前的暴露垃圾');
    clock.advance(100 * 24 * 3600_000); // 2026-06-12: the first case is now 100 days old
    ids.garbage = await report('0501', '古美路暴露垃圾 <袋> & 箱');
    ids.dispute = await report('0603', '邻里矛盾纠纷，涉及张三');
    const closed = await walkCaseToClosure(
      app,
      (w) => users.get(w)!.auth,
      users.get('patroller.a')!.id,
      clock.advance,
    );
    ids.closed = closed.caseNo;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('discovery lists a GeoReport v2 endpoint and both formats', async () => {
    const json = await get('/open311/v2/discovery.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toContain('application/json');
    const d = json.json<{
      changeset: string;
      endpoints: { specification: string; url: string; formats: string[]; type: string }[];
    }>();
    expect(d.endpoints[0]!.specification).toContain('GeoReport_v2');
    expect(d.endpoints[0]!.url).toMatch(/\/open311\/v2$/);
    expect(d.endpoints[0]!.formats.sort()).toEqual(['application/json', 'text/xml']);
    const x = await get('/open311/v2/discovery.xml');
    expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(
      xmlOf<{ discovery: { endpoints: { endpoint: { formats: { format: string[] } }[] } } }>(x.body).discovery
        .endpoints.endpoint[0]!.formats.format,
    ).toContain('text/xml');
  });

  it('services carry code, name, description, metadata, type, keywords and group; Chinese intact in XML', async () => {
    const json = (await get('/open311/v2/services.json')).json<Record<string, unknown>[]>();
    expect(json.map((s) => s.service_code)).toEqual(expect.arrayContaining(['0101', '0501']));
    for (const s of json) {
      expect(Object.keys(s).sort()).toEqual(
        ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'].sort(),
      );
      expect(typeof s.metadata).toBe('boolean');
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
    }
    expect(json.find((s) => s.service_code === '0101')).toMatchObject({
      service_name: '群租',
      group: '房屋管理',
      metadata: true,
    });
    const x = await get('/open311/v2/services.xml');
    const services = xmlOf<{ services: { service: Record<string, string>[] } }>(x.body).services.service;
    expect(services.find((s) => s.service_code === '0101')).toMatchObject({
      service_name: '群租',
      metadata: 'true',
    });
    expect(Buffer.from(x.rawPayload).toString('utf8')).toContain('群租');
  });

  it('a service definition lists its attributes; an unknown code is a 404 in the specification’s shape', async () => {
    const def = (await get('/open311/v2/services/0101.json')).json<{
      service_code: string;
      attributes: Record<string, unknown>[];
    }>();
    expect(def.service_code).toBe('0101');
    for (const a of def.attributes) {
      for (const key of [
        'variable',
        'code',
        'datatype',
        'required',
        'datatype_description',
        'order',
        'description',
      ])
        expect(a, key).toHaveProperty(key);
      expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(
        a.datatype,
      );
    }
    expect(
      xmlOf<{ service_definition: { attributes: { attribute: { code: string }[] } } }>(
        (await get('/open311/v2/services/0101.xml')).body,
      ).service_definition.attributes.attribute[0]!.code,
    ).toBe('people_count');
    const missing = await get('/open311/v2/services/9999.json');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual([{ code: 404, description: expect.any(String) }]);
    const missingXml = await get('/open311/v2/services/9999.xml');
    expect(missingXml.statusCode).toBe(404);
    expect(xmlOf<XmlErrors>(missingXml.body).errors.error[0]!.code).toBe('404');
  });

  it('requests: the last 90 days by default, never a sensitive case, every field of the specification', async () => {
    const list = (await get('/open311/v2/requests.json')).json<Record<string, unknown>[]>();
    const found = list.map((r) => r.service_request_id);
    expect(found).toEqual(expect.arrayContaining([ids.garbage, ids.closed]));
    expect(found).not.toContain(ids.old); // 100 days old
    expect(found).not.toContain(ids.dispute); // 矛盾纠纷 never public
    for (const r of list) {
      for (const key of [
        'service_request_id',
        'status',
        'status_notes',
        'service_name',
        'service_code',
        'description',
        'agency_responsible',
        'service_notice',
        'requested_datetime',
        'updated_datetime',
        'expected_datetime',
        'address',
        'address_id',
        'zipcode',
        'lat',
        'long',
        'media_url',
      ])
        expect(r, key).toHaveProperty(key);
      expect(['open', 'closed']).toContain(r.status);
      expect(String(r.requested_datetime)).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      );
    }
    expect(JSON.stringify(list)).not.toContain('巡管员甲');
  });

  it('requests: filters by status, service code, window and id list (ids override the rest)', async () => {
    const q = async (query: string) =>
      (await get(`/open311/v2/requests.json?${query}`)).json<
        { service_request_id: string; status: string }[]
      >();
    expect((await q('status=closed')).map((r) => r.service_request_id)).toEqual([ids.closed]);
    expect((await q('status=open')).map((r) => r.service_request_id)).toEqual([ids.garbage]);
    expect((await q('service_code=0101')).map((r) => r.service_request_id)).toEqual([ids.closed]);
    expect(
      (await q('start_date=2026-03-01T00:00:00%2B08:00&end_date=2026-03-10T00:00:00%2B08:00')).map(
        (r) => r.service_request_id,
      ),
    ).toEqual([ids.old]);
    expect(
      (await q(`service_request_id=${ids.old},${ids.garbage},${ids.dispute}&status=closed`))
        .map((r) => r.service_request_id)
        .sort(),
    ).toEqual([ids.old, ids.garbage].sort());
  });

  it('refuses bad dates, a reversed or too wide window, a bad status and a foreign jurisdiction, in both formats', async () => {
    for (const query of [
      'start_date=yesterday',
      'end_date=2026-02-30',
      'start_date=2026-03-10T00:00:00Z&end_date=2026-03-01T00:00:00Z',
      'start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
      'status=pending',
    ]) {
      const json = await get(`/open311/v2/requests.json?${query}`);
      expect(json.statusCode, query).toBe(400);
      expect(json.json(), query).toEqual([{ code: 400, description: expect.any(String) }]);
      const x = await get(`/open311/v2/requests.xml?${query}`);
      expect(x.statusCode, query).toBe(400);
      expect(xmlOf<XmlErrors>(x.body).errors.error[0]!.code).toBe('400');
    }
    expect((await get(`/open311/v2/services.json?jurisdiction_id=${T.district}`)).statusCode).toBe(200);
    const foreign = await get('/open311/v2/services.json?jurisdiction_id=beijing');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual([{ code: 404, description: expect.any(String) }]);
  });

  it('one request by id in XML, closed with its closing note; unknown and sensitive ids are 404', async () => {
    const x = await get(`/open311/v2/requests/${ids.closed}.xml`);
    expect(x.statusCode).toBe(200);
    const r = xmlOf<XmlRequests>(x.body).service_requests.request[0];
    expect(r).toMatchObject({
      service_request_id: ids.closed,
      status: 'closed',
      status_notes: '结案',
      service_code: '0101',
    });
    const open = (await get(`/open311/v2/requests/${ids.garbage}.json`)).json<
      { description: string; status: string }[]
    >();
    expect(open).toEqual([
      expect.objectContaining({ status: 'open', description: '古美路暴露垃圾 <袋> & 箱' }),
    ]);
    const xmlOpen = await get(`/open311/v2/requests/${ids.garbage}.xml`);
    expect(xmlOf<XmlRequests>(xmlOpen.body).service_requests.request[0]!.description).toBe(
      '古美路暴露垃圾 <袋> & 箱',
    );
    for (const id of ['310112-2026-999999', ids.dispute!]) {
      const missing = await get(`/open311/v2/requests/${id}.json`);
      expect(missing.statusCode, id).toBe(404);
      expect(missing.json()).toEqual([{ code: 404, description: expect.any(String) }]);
    }
  });
});

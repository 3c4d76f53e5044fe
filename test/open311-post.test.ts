import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptPii, piiHash, piiKeyring } from '../src/app/baseinfo/pii.ts';
import { newSessionToken, tokenHash } from '../src/app/identity/tokens.ts';
import { normalizeAddress } from '../src/core/baseinfo/address.ts';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

/**
 * Open311 GeoReport v2 POST Service Request, checked against the specification's text
 * (wiki.open311.org/GeoReport_v2, "POST Service Request"): the body is form-encoded, `api_key` is required,
 * the location is `lat`/`long`, `address_string` or `address_id`, attributes come as `attribute[code]=value`
 * per the service definition, and the answer is a list of one `{service_request_id, service_notice,
 * account_id}` (with our `follow_up_code`); errors are `[{code, description}]`, `<errors><error>` in XML.
 */
describe('Open311 GeoReport v2 (POST requests, client systems)', () => {
  const t = useCaseApi();
  let admin: { authorization: string };
  const keys: Record<string, string> = {};
  const clientIds: Record<string, string> = {};
  const parser = new XMLParser({
    parseTagValue: false,
    isArray: (name) => ['request', 'error'].includes(name),
  });
  type Created = {
    service_request_id: string;
    service_notice: string;
    account_id: string | null;
    follow_up_code: string | null;
  };
  type XmlErrors = { errors: { error: { code: string; description: string }[] } };

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (fields: Record<string, string>, format: 'json' | 'xml' = 'json') =>
    t.raw(null, {
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    });
  const errorOf = (body: string) => JSON.parse(body) as { code: number; description: string }[];
  const xmlOf = <X>(body: string): X => {
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(XMLValidator.validate(body)).toBe(true);
    return parser.parse(body) as X;
  };
  const valid = (over: Record<string, string> = {}) => ({
    api_key: keys.hotline!,
    service_code: '0501',
    lat: String(T.inGumeiC1.lat),
    long: String(T.inGumeiC1.lon),
    description: '古美路口暴露垃圾 <袋> & 箱',
    ...over,
  });

  beforeAll(async () => {
    const db = t.database.db;
    const row = await db
      .insertInto('users')
      .values({
        username: 'o311.admin',
        display_name: '管理员',
        password_hash: 'x',
        role: 'admin',
        unit_kind: 'region',
        unit_code: T.district,
        department_id: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = newSessionToken();
    await db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: row.id,
        created_at: new Date('2020-01-01T00:00:00Z'),
        expires_at: new Date('2099-01-01T00:00:00Z'),
        address: null,
        user_agent: null,
      })
      .execute();
    admin = { authorization: `Bearer ${token}` };
    await db
      .insertInto('base_addresses')
      .values({
        id: 'addr-gumei-1',
        code: 'A310112006-0001',
        level: 'number',
        parent_id: null,
        name: '古美路1号',
        full_text: '古美路1号',
        normalized: normalizeAddress('古美路1号'),
        street_code: T.gumei,
        committee_code: null,
        grid_code: null,
        lon: T.inGumeiC1.lon,
        lat: T.inGumeiC1.lat,
      })
      .execute();
    for (const [name, source] of [
      ['hotline', 'hotline'],
      ['app', 'citizen'],
      ['off', 'citizen'],
      ['busy', 'citizen'],
    ] as const) {
      const res = await t.raw(null, {
        method: 'POST',
        url: '/api/v1/open311/clients',
        headers: admin,
        payload: { name: `client ${name}`, source },
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ client: { id: string }; key: string }>();
      keys[name] = body.key;
      clientIds[name] = body.client.id;
    }
    const off = await t.raw(null, {
      method: 'PUT',
      url: `/api/v1/open311/clients/${clientIds.off}/enabled`,
      headers: admin,
      payload: { enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
  });

  it('lets only district admins manage clients; the key is shown once and stored hashed', async () => {
    expect(keys.hotline).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
    const list = await t.raw(null, { method: 'GET', url: '/api/v1/open311/clients', headers: admin });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(keys.hotline!);
    const stored = await t.database.db.selectFrom('open311_clients').select('key_hash').execute();
    expect(stored.map((r) => r.key_hash)).not.toContain(keys.hotline);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    for (const who of ['dispatcher.a', 'citizen1']) {
      const res = await t.raw(who, { method: 'GET', url: '/api/v1/open311/clients' });
      expect(res.statusCode).toBe(403);
    }
    expect((await t.raw(null, { method: 'GET', url: '/api/v1/open311/clients' })).statusCode).toBe(401);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'open311_client.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'open311_client.disable',
      'open311_client.register',
      'open311_client.register',
      'open311_client.register',
      'open311_client.register',
    ]);
  });

  it('refuses a missing api_key (400), an unknown or disabled key (403), in both formats', async () => {
    const { api_key: _, ...noKey } = valid();
    const missing = await post(noKey);
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/json');
    expect(errorOf(missing.body)).toEqual([{ code: 400, description: expect.stringMatching(/api_key/) }]);
    const missingXml = await post(noKey, 'xml');
    expect(missingXml.statusCode).toBe(400);
    expect(missingXml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xmlOf<XmlErrors>(missingXml.body).errors.error[0]!.code).toBe('400');
    const unknown = await post(valid({ api_key: 'o311_not-a-key' }));
    expect(unknown.statusCode).toBe(403);
    expect(errorOf(unknown.body)[0]!.code).toBe(403);
    const disabled = await post(valid({ api_key: keys.off! }), 'xml');
    expect(disabled.statusCode).toBe(403);
    expect(xmlOf<XmlErrors>(disabled.body).errors.error[0]!.description).toMatch(/api_key/);
  });

  it('refuses an unknown service_code (404), a missing one, no location, bad attributes (400)', async () => {
    expect((await post(valid({ service_code: '9999' }))).statusCode).toBe(404);
    expect(errorOf((await post(valid({ service_code: '9999' }))).body)[0]!.code).toBe(404);
    const { service_code: _, ...noService } = valid();
    expect((await post(noService)).statusCode).toBe(400);
    const { lat: _lat, long: _long, ...nowhere } = valid();
    const noLocation = await post(nowhere, 'xml');
    expect(noLocation.statusCode).toBe(400);
    expect(xmlOf<XmlErrors>(noLocation.body).errors.error[0]!.description).toMatch(/location/);
    expect((await post(valid({ lat: '91', long: '121' }))).statusCode).toBe(400);
    expect((await post(valid({ lat: 'abc' }))).statusCode).toBe(400);
    // 群租 asks for people_count (a number); a code it does not define is refused, not dropped
    const group = { service_code: '0101', description: '疑似群租' };
    expect((await post(valid({ ...group, 'attribute[nope]': '1' }))).statusCode).toBe(400);
    expect((await post(valid({ ...group, 'attribute[people_count]': 'many' }))).statusCode).toBe(400);
    expect((await post(valid({ 'attribute[people_count]': '3' }))).statusCode).toBe(400); // 0501 has none
    // a jurisdiction that is not ours
    expect((await post(valid({ jurisdiction_id: '999999' }))).statusCode).toBe(404);
    // nothing of it became a case
    const cases = await t.database.db.selectFrom('open311_requests').select('case_id').execute();
    expect(cases).toHaveLength(0);
  });

  it('refuses stability and dispute categories: they are reported in person', async () => {
    const res = await post(valid({ service_code: '0603', description: '邻里纠纷' }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body)[0]!.description).toMatch(/0603/);
  });

  it('matches address_string to one standard address, never guesses; accepts address_id', async () => {
    const { lat: _lat, long: _long, ...noPoint } = valid();
    const unmatched = await post({ ...noPoint, address_string: '古美路999号' });
    expect(unmatched.statusCode).toBe(400);
    expect(errorOf(unmatched.body)[0]!.description).toMatch(/address_string/);
    const matched = await post({ ...noPoint, address_string: ' 古美路 1 号 ' });
    expect(matched.statusCode, matched.body).toBe(201);
    const byId = await post({ ...noPoint, address_id: 'A310112006-0001' });
    expect(byId.statusCode, byId.body).toBe(201);
    for (const res of [matched, byId]) {
      const caseNo = res.json<Created[]>()[0]!.service_request_id;
      const row = await t.database.db
        .selectFrom('cases')
        .select(['address_id', 'address'])
        .where('case_no', '=', caseNo)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ address_id: 'addr-gumei-1', address: '古美路1号' });
    }
    expect((await post({ ...noPoint, address_id: 'nowhere' })).statusCode).toBe(400);
  });

  it('creates a hotline case through intake: number, follow-up code, in the 古美 queue, masked contact', async () => {
    const res = await post(
      valid({
        service_code: '0101',
        description: '古美路某小区疑似群租',
        'attribute[people_count]': '12',
        media_url: 'https://example.org/photo.jpg',
        first_name: '小明',
        last_name: '王',
        phone: '13912345678',
        email: 'wang@example.org',
        account_id: 'acct-1',
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toContain('application/json');
    const [created] = res.json<Created[]>();
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^310112-\d{4}-\d{6}$/),
      service_notice: expect.any(String),
      account_id: 'acct-1',
      follow_up_code: expect.stringMatching(/^[A-Z2-9]{8}$/),
    });
    const caseNo = created!.service_request_id;
    // the 古美 dispatcher's queue (through the API)
    const queue = ok(await t.api('dispatcher.a').GET('/api/v1/cases', { params: { query: {} } }));
    const item = queue.items.find((c) => c.caseNo === caseNo);
    expect(item).toBeDefined();
    const detail = await t.detail('dispatcher.a', item!.id);
    expect(detail).toMatchObject({
      source: 'hotline',
      state: 'reported',
      verification: 'required',
      categoryCode: '0101',
      streetCode: T.gumei,
    });
    expect(detail.description).toContain('12');
    // the owning centre's dispatcher calls back (unmasked, as for any reporter); others see it masked
    expect(detail.reporter).toEqual({ name: '王小明', phone: '13912345678', masked: false });
    const seenByLeader = await t.detail('leader', item!.id);
    expect(seenByLeader.reporter.masked).toBe(true);
    expect(JSON.stringify(seenByLeader)).not.toContain('13912345678');
    const extra = await t.database.db
      .selectFrom('open311_requests')
      .selectAll()
      .where('case_id', '=', item!.id)
      .executeTakeFirstOrThrow();
    expect(extra).toMatchObject({
      client_id: clientIds.hotline,
      media_url: 'https://example.org/photo.jpg',
      attributes: { people_count: '12' },
      email: null,
      device_id: null,
      account_id: null,
    });
    // contact fields are encrypted at rest (issue 15 §5), found again by a keyed hash
    expect(JSON.stringify(extra)).not.toContain('wang@example.org');
    expect(JSON.stringify(extra)).not.toContain('acct-1');
    const keyring = piiKeyring();
    expect(decryptPii(keyring, 'email', extra.email_cipher!)).toBe('wang@example.org');
    expect(decryptPii(keyring, 'account_id', extra.account_id_cipher!)).toBe('acct-1');
    expect(extra.email_hash).toBe(piiHash(keyring, 'open311_email', 'wang@example.org'));
    expect(extra.pii_key_id).toBe(keyring.current.id);
    // the citizen follows it on the public page with number + code
    const lookup = await t.api(null).POST('/api/v1/public/cases/lookup', {
      body: { caseNo, code: created!.follow_up_code! },
    });
    expect(lookup.response.status).toBe(200);
    // the client list counts its requests
    const list = await t.raw(null, { method: 'GET', url: '/api/v1/open311/clients', headers: admin });
    const clients = list.json<{ items: { id: string; requestCount: number }[] }>().items;
    expect(clients.find((c) => c.id === clientIds.hotline)!.requestCount).toBe(3);
  });

  it('accepts JSON bodies and answers in XML; a citizen client files as citizen', async () => {
    const res = await t.raw(null, {
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: {
        api_key: keys.app,
        service_code: '0101',
        lat: T.inGumeiC1.lat,
        long: T.inGumeiC1.lon,
        description: '群租 “中文” 完整',
        attribute: { people_count: '8' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = xmlOf<{ service_requests: { request: Record<string, string>[] } }>(res.body);
    const caseNo = doc.service_requests.request[0]!.service_request_id!;
    expect(caseNo).toMatch(/^310112-/);
    expect(doc.service_requests.request[0]!.follow_up_code).toMatch(/^[A-Z2-9]{8}$/);
    const row = await t.database.db
      .selectFrom('cases')
      .select(['source', 'description'])
      .where('case_no', '=', caseNo)
      .executeTakeFirstOrThrow();
    expect(row.source).toBe('citizen');
    expect(row.description).toContain('群租 “中文” 完整');
  });

  it('shows the request open, then closed in GET requests/{id}.xml once the case closes', async () => {
    const res = await post(valid({ service_code: '0101', description: '古美路疑似群租，需核实' }));
    expect(res.statusCode, res.body).toBe(201);
    const caseNo = res.json<Created[]>()[0]!.service_request_id;
    type XmlRequests = { service_requests: { request: Record<string, string>[] } };
    const statusOf = async () =>
      xmlOf<XmlRequests>(
        (await t.raw(null, { method: 'GET', url: `/open311/v2/requests/${caseNo}.xml` })).body,
      ).service_requests.request[0]!.status;
    expect(await statusOf()).toBe('open');
    const queue = ok(await t.api('dispatcher.a').GET('/api/v1/cases', { params: { query: {} } }));
    const id = queue.items.find((c) => c.caseNo === caseNo)!.id;
    const patrollerId = t.users.get('patroller.a')!.id;
    const upload = await t.upload('housing.a');
    const photoId = upload.data!.id;
    await t.step('dispatcher.a', id, 'request_verification', { patrollerId });
    await t.step('patroller.a', id, 'submit_verification', { confirmed: true });
    await t.step('dispatcher.a', id, 'register', { note: '立案' });
    await t.step('dispatcher.a', id, 'dispatch', {});
    await t.step('housing.a', id, 'sign', {});
    await t.step('housing.a', id, 'handle', { result: '已责令整改', photos: [photoId] });
    await t.step('dispatcher.a', id, 'assign_check', { patrollerId });
    await t.step('patroller.a', id, 'submit_check', { passed: true, note: '已整改' });
    expect(await statusOf()).toBe('open');
    await t.step('lead.a', id, 'close', { note: '结案' });
    expect(await statusOf()).toBe('closed');
  });

  it('creates one case for a retried POST with the same Idempotency-Key and request (issue 15 §4)', async () => {
    const fields = valid({ api_key: keys.app!, service_code: '0501', description: '重试的请求 retried' });
    const send = (key: string, over: Record<string, string> = {}, format: 'json' | 'xml' = 'json') =>
      t.raw(null, {
        method: 'POST',
        url: `/open311/v2/requests.${format}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key },
        payload: form({ ...fields, ...over }),
      });
    const count = async () =>
      (
        await t.database.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('description', '=', '重试的请求 retried')
          .executeTakeFirstOrThrow()
      ).n;
    const first = await send('retry-key-1');
    expect(first.statusCode, first.body).toBe(201);
    const again = await send('retry-key-1');
    expect(again.statusCode, again.body).toBe(201);
    const [a] = first.json<Created[]>();
    const [b] = again.json<Created[]>();
    expect(b).toEqual(a);
    // also when the retry asks for the other format, and concurrently
    const both = await Promise.all([send('retry-key-1', {}, 'xml'), send('retry-key-1')]);
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(
      xmlOf<{ service_requests: { request: Created[] } }>(both[0].body).service_requests.request[0]!
        .service_request_id,
    ).toBe(a!.service_request_id);
    expect(Number(await count())).toBe(1);
    // the same key with another request: 409 in the specification's shape, nothing created
    const other = await send('retry-key-1', {
      description: '重试的请求 retried',
      lat: String(T.inGumeiC1.lat + 0.0001),
    });
    expect(other.statusCode).toBe(409);
    expect(errorOf(other.body)[0]!.code).toBe(409);
    // another key, or no key, is another request: a second case
    expect((await send('retry-key-2')).statusCode).toBe(201);
    expect(Number(await count())).toBe(2);
    // keys are per client: the hotline's same key is its own
    const hotline = await send('retry-key-1', { api_key: keys.hotline! });
    expect(hotline.statusCode).toBe(201);
    expect(hotline.json<Created[]>()[0]!.service_request_id).not.toBe(a!.service_request_id);
    const bad = await send('bad key with spaces');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad.body)[0]!.code).toBe(400);
  });

  it('limits each key: the 31st request in a minute answers 429 in the specification’s shape', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await post({ api_key: keys.busy!, description: 'x' })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    const last = await post({ api_key: keys.busy!, description: 'x' });
    expect(last.statusCode).toBe(429);
    expect(errorOf(last.body)[0]!.code).toBe(429);
    // another key is not limited by it
    expect((await post({ api_key: keys.app!, description: 'x' })).statusCode).toBe(400);
  });
});

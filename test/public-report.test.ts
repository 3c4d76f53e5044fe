import { describe, expect, it } from 'vitest';
import { decryptPii, piiHash, piiKeyring, piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { rotatePiiKey } from '../src/app/baseinfo/rotate-pii-key.ts';
import { SILENT } from '../src/app/logger.ts';
import { CONTACT_HASH_KIND } from '../src/app/public/public-contact.ts';
import { POW_BITS, solveChallenge, solvesChallenge } from '../src/core/public/index.ts';
import { ok, REMOTE_ADDRESS, type Schemas } from './support/api.ts';
import { multipartBody, T, TINY_JPEG } from './support/cases.ts';
import { TEST_PII_KEYRING } from './support/database.ts';
import { useCaseApi } from './support/harness.ts';

/**
 * Issue 15: a citizen reports without an account (photo, place, contact; proof of work, honeypot),
 * gets number + follow-up code, follows the case and rates it once after closure — as the workflow's
 * `follow_up` event. The contact is stored encrypted and shown masked; nearby cases show public fields only.
 */
describe('anonymous reports on the public page', () => {
  const t = useCaseApi();
  let address = 0;
  const from = () => ({ [REMOTE_ADDRESS]: `10.15.0.${++address}` });
  const anon = () => t.api(null);

  const challenge = async () => {
    const c = ok(await anon().GET('/api/v1/public/challenge', { headers: from() }));
    expect(c.bits).toBe(POW_BITS);
    return { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) };
  };
  const uploadPhoto = async (data: Buffer = TINY_JPEG, filename = 'photo.jpg') => {
    const body = multipartBody(data, filename);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/public/attachments',
      headers: { ...body.headers, ...from() },
      payload: body.payload,
    });
  };
  const send = async (over: Partial<Schemas['PublicReportBody']> = {}, key?: string) =>
    anon().POST('/api/v1/public/reports', {
      body: {
        category: '0101',
        description: '楼上疑似群租，每天很多人进出',
        location: T.inGumeiC1,
        contact: '138 0000 1111',
        ...(await challenge()),
        ...over,
      },
      headers: { ...from(), ...(key ? { 'idempotency-key': key } : {}) },
    });

  it('creates a citizen case verified before registration, with the photo, the contact encrypted and masked', async () => {
    const photo = await uploadPhoto();
    expect(photo.statusCode, photo.body).toBe(201);
    const photoId = photo.json<{ id: string }>().id;
    const res = await send({ photos: [photoId] });
    expect(res.response.status, JSON.stringify(res.error)).toBe(201);
    const created = ok(res);
    expect(created.caseNo).toMatch(/^310112-\d{4}-\d{6}$/);
    expect(created.followUpCode).toMatch(/^[A-Z2-9]{8}$/);
    const row = await t.database.db
      .selectFrom('cases')
      .selectAll()
      .where('case_no', '=', created.caseNo)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'citizen', state: 'reported', verification: 'required' });
    expect(row.reporter_phone).toBeNull();
    expect(row.reporter_ids).toEqual([`public:${row.id}`]);
    // the contact at rest: ciphertext and keyed hash only
    const stored = await t.database.db
      .selectFrom('public_reports')
      .selectAll()
      .where('case_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain('13800001111');
    expect(decryptPii(piiKeyring(), 'contact', stored.contact_cipher)).toBe('13800001111');
    expect(stored.contact_hash).toBe(piiHash(piiKeyring(), CONTACT_HASH_KIND, '13800001111'));
    // staff: the owning centre's dispatcher sees it to call back; the leader masked
    expect((await t.detail('dispatcher.a', row.id)).reporter).toMatchObject({
      phone: '13800001111',
      masked: false,
    });
    const leader = await t.detail('leader', row.id);
    expect(leader.reporter).toMatchObject({ phone: '138****1111', masked: true });
    expect(JSON.stringify(leader)).not.toContain('13800001111');
    // the photo is the case's
    const detail = await t.detail('dispatcher.a', row.id);
    expect(detail.attachments.map((a) => a.id)).toContain(photoId);
    // audited as the anonymous reporter
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action'])
      .where('target', '=', `case:${row.id}`)
      .execute();
    expect(audit).toContainEqual({ actor_id: 'public', action: 'case.report' });
  });

  it('masks an e-mail contact keeping its domain; the leader never sees it', async () => {
    const created = ok(await send({ contact: 'Wang.Li@Example.com' }));
    const row = await t.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_no', '=', created.caseNo)
      .executeTakeFirstOrThrow();
    expect((await t.detail('leader', row.id)).reporter.phone).toBe('w***@example.com');
  });

  it('refuses a missing or reused proof of work, a filled honeypot, a bad contact, a sensitive category', async () => {
    const reason = (r: { error?: unknown }) => (r.error as { reason?: string } | undefined)?.reason;
    const solved = await challenge();
    // a nonce that does not solve it (a random one would, once in 2^14)
    let wrong = 0;
    while (solvesChallenge(solved.challenge, `w${wrong}`, POW_BITS)) wrong++;
    const bad = await send({ ...solved, nonce: `w${wrong}` });
    expect(bad.response.status).toBe(400);
    expect(reason(bad)).toBe('proof_of_work_failed');
    const forged = await send({ challenge: `${Date.now()}.${'0'.repeat(32)}.${'0'.repeat(64)}`, nonce: '0' });
    expect(reason(forged)).toBe('proof_of_work_failed');
    expect((await send(solved)).response.status).toBe(201);
    const reused = await send(solved);
    expect(reused.response.status).toBe(400);
    expect(reason(reused)).toBe('proof_of_work_failed');
    expect(reason(await send({ website: 'http://spam.example' }))).toBe('proof_of_work_failed');
    const contact = await send({ contact: '12345' });
    expect(contact.response.status).toBe(400);
    expect(reason(contact)).toBe('invalid_contact');
    const sensitive = await send({ category: '0602' });
    expect(sensitive.response.status).toBe(400);
    expect(reason(sensitive)).toBe('stability_category_not_public');
    const outside = await send({ location: { lon: 100, lat: 30 } });
    expect(reason(outside)).toBe('outside_territory');
  });

  it('a retry with the same Idempotency-Key answers the same case, even with a spent challenge', async () => {
    const body = { description: '重试的匿名反映', ...(await challenge()) };
    const first = ok(await send(body, 'anon-retry-1'));
    const again = ok(await send(body, 'anon-retry-1'));
    expect(again).toEqual({ ...first, replayed: true });
    const n = await t.database.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('description', '=', '重试的匿名反映')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('accepts photos only, by content', async () => {
    const pdf = await uploadPhoto(
      Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
      'x.pdf',
    );
    expect(pdf.statusCode).toBe(415);
    const text = await uploadPhoto(Buffer.from('hello'), 'photo.jpg');
    expect(text.statusCode).toBe(415);
  });

  it('shows open cases of the category nearby with public fields only; never sensitive ones', async () => {
    const res = ok(
      await anon().POST('/api/v1/public/cases/nearby', {
        body: { category: '0101', location: T.inGumeiC1 },
        headers: from(),
      }),
    );
    expect(res.items.length).toBeGreaterThan(0);
    expect(res.items.length).toBeLessThanOrEqual(5);
    for (const item of res.items) {
      expect(Object.keys(item).sort()).toEqual(['categoryCode', 'distanceM', 'reportedOn', 'status']);
      expect(item.distanceM % 10).toBe(0);
    }
    expect(JSON.stringify(res)).not.toMatch(/310112-|群租|1380000|lon|lat/);
    const sensitive = ok(
      await anon().POST('/api/v1/public/cases/nearby', {
        body: { category: '0602', location: T.inGumeiC1 },
        headers: from(),
      }),
    );
    expect(sensitive.items).toEqual([]);
  });

  it('follows the case with number + code, rates it once after closure as the follow_up event', async () => {
    const created = ok(await send({ description: '待评价的匿名反映' }));
    const { caseNo, followUpCode: code } = created;
    const lookup = () =>
      anon().POST('/api/v1/public/cases/lookup', { body: { caseNo, code }, headers: from() });
    const rate = (satisfaction: Schemas['PublicRateBody']['satisfaction'], c = code, note?: string) =>
      anon().POST('/api/v1/public/cases/rate', {
        body: { caseNo, code: c, satisfaction, ...(note ? { note } : {}) },
        headers: from(),
      });
    expect(ok(await lookup())).toMatchObject({ status: 'received', canRate: false, rating: null });
    // the number alone sees nothing
    expect((await rate('satisfied', 'AAAA2222')).response.status).toBe(404);
    // before closure: refused
    const early = await rate('satisfied');
    expect(early.response.status).toBe(422);
    expect((early.error as { reason?: string }).reason).toBe('case_not_closed');

    const id = (
      await t.database.db
        .selectFrom('cases')
        .select('id')
        .where('case_no', '=', caseNo)
        .executeTakeFirstOrThrow()
    ).id;
    const patrollerId = t.users.get('patroller.a')!.id;
    const upload = await t.upload('housing.a');
    await t.step('dispatcher.a', id, 'request_verification', { patrollerId });
    await t.step('patroller.a', id, 'submit_verification', { confirmed: true });
    await t.step('dispatcher.a', id, 'register', { note: '立案' });
    await t.step('dispatcher.a', id, 'dispatch', {});
    await t.step('housing.a', id, 'sign', {});
    await t.step('housing.a', id, 'handle', { result: '已责令整改', photos: [upload.data!.id] });
    await t.step('dispatcher.a', id, 'assign_check', { patrollerId });
    await t.step('patroller.a', id, 'submit_check', { passed: true, note: '已整改' });
    await t.step('lead.a', id, 'close', { note: '结案' });

    expect(ok(await lookup())).toMatchObject({ status: 'closed', canRate: true, rating: null });
    const rated = await rate('basically_satisfied', code.toLowerCase(), '处理较快，但还有些噪音');
    expect(rated.response.status, JSON.stringify(rated.error)).toBe(200);
    expect(ok(rated)).toMatchObject({ canRate: false, rating: { satisfaction: 'basically_satisfied' } });
    // the workflow's follow_up event, by the anonymous reporter, with the satisfaction the 满意率 reads
    const events = await t.database.db
      .selectFrom('case_events')
      .select(['action', 'actor_user_id', 'actor_role', 'payload', 'to_state'])
      .where('case_id', '=', id)
      .where('action', '=', 'follow_up')
      .execute();
    expect(events).toEqual([
      {
        action: 'follow_up',
        actor_user_id: `public:${id}`,
        actor_role: 'citizen',
        payload: { satisfaction: 'basically_satisfied', note: '处理较快，但还有些噪音' },
        to_state: 'closed',
      },
    ]);
    const row = await t.database.db
      .selectFrom('cases')
      .select('satisfaction')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.satisfaction).toBe('basically_satisfied');
    // once
    const twice = await rate('unsatisfied');
    expect(twice.response.status).toBe(409);
    expect((twice.error as { reason?: string }).reason).toBe('already_rated');
    // the public view never shows the note
    expect(JSON.stringify(ok(await lookup()))).not.toContain('噪音');
  });

  it('a key rotation re-encrypts anonymous contacts and Open311 contact fields, clear legacy rows included', async () => {
    const db = t.database.db;
    const created = ok(await send({ contact: '13900003333' }));
    const { id } = await db
      .selectFrom('cases')
      .select('id')
      .where('case_no', '=', created.caseNo)
      .executeTakeFirstOrThrow();
    // an Open311 request written before migration 0029: contact fields in clear
    await db
      .insertInto('open311_clients')
      .values({
        id: 'legacy-client',
        name: '旧客户端',
        source: 'citizen',
        key_hash: 'f'.repeat(64),
        key_hint: 'ffff',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    await db
      .insertInto('open311_requests')
      .values({
        case_id: id,
        client_id: 'legacy-client',
        media_url: null,
        email: 'old@example.org',
        device_id: 'dev-9',
        account_id: 'acct-9',
        created_at: new Date(),
      })
      .execute();
    const rotated = piiKeyringOf([
      Buffer.from('a new key for the public report rotation test', 'utf8'),
      Buffer.from('liandong test pii key, not a secret at all', 'utf8'),
    ]);
    expect(rotated.keys[1]!.id).toBe(TEST_PII_KEYRING.current.id);
    setPiiKeyring(rotated);
    try {
      const report = await rotatePiiKey({ database: t.database, log: SILENT }, rotated, { batchSize: 2 });
      expect(report.contacts).toBeGreaterThanOrEqual(2);
      expect(report.keysInUse).toEqual([rotated.current.id]);
      const contact = await db
        .selectFrom('public_reports')
        .selectAll()
        .where('case_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(contact.pii_key_id).toBe(rotated.current.id);
      expect(decryptPii(rotated, 'contact', contact.contact_cipher)).toBe('13900003333');
      const legacy = await db
        .selectFrom('open311_requests')
        .selectAll()
        .where('case_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(legacy).toMatchObject({
        email: null,
        device_id: null,
        account_id: null,
        pii_key_id: rotated.current.id,
      });
      expect(decryptPii(rotated, 'email', legacy.email_cipher!)).toBe('old@example.org');
      expect(decryptPii(rotated, 'device_id', legacy.device_id_cipher!)).toBe('dev-9');
      expect(decryptPii(rotated, 'account_id', legacy.account_id_cipher!)).toBe('acct-9');
      // staff still read the anonymous contact under the new key
      expect((await t.detail('dispatcher.a', id)).reporter.phone).toBe('13900003333');
    } finally {
      setPiiKeyring(TEST_PII_KEYRING);
    }
  });

  it('does not let the code of a case reported with an account rate it here', async () => {
    const created = await t.report('patroller.a', {
      category: '0501',
      description: '垃圾',
      location: T.inGumeiC1,
    });
    const res = await anon().POST('/api/v1/public/cases/rate', {
      body: { caseNo: created.case.caseNo, code: created.followUpCode!, satisfaction: 'satisfied' },
      headers: from(),
    });
    expect(res.response.status).toBe(403);
  });
});

import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_ALPHABET } from '../src/app/public/follow-up-code.ts';
import { ok, REMOTE_ADDRESS, type Schemas } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

const CODE = new RegExp(`^[${FOLLOW_UP_ALPHABET}]{8}$`);

/**
 * Issue 9 §8: the public page cannot be walked. Following a case needs its number and the follow-up
 * code (查询码) given to the reporter; a wrong code and an unknown number answer alike; sensitive
 * categories are never public; the rate limit stays.
 */
describe('POST /api/v1/public/cases/lookup', () => {
  const t = useCaseApi();

  // every lookup from its own address, so the tests do not spend one another's rate limit
  let address = 0;
  const lookup = (body: Schemas['PublicLookupBody'], remoteAddress = `10.0.0.${++address}`) =>
    t.api(null).POST('/api/v1/public/cases/lookup', {
      body,
      headers: { [REMOTE_ADDRESS]: remoteAddress },
    });
  const report = (who: string, body: Schemas['CreateCaseBody']) => t.report(who, body);
  const act = t.step;

  it('gives the reporter a follow-up code, and shows the public status only to number + code', async () => {
    const created = await report('patroller.a', {
      category: '0501',
      description: '楼道口垃圾堆放',
      location: T.inGumeiC1,
    });
    expect(created.followUpCode).toMatch(CODE);
    const { caseNo } = created.case;
    const code = created.followUpCode!;
    const res = await lookup({ caseNo, code });
    expect(res.response.status, JSON.stringify(res.error)).toBe(200);
    const p = ok(res);
    expect(p).toMatchObject({ caseNo, status: 'received', categoryCode: '0501', categoryName: '暴露垃圾' });
    expect(Object.keys(p).sort()).toEqual([
      'canRate',
      'caseNo',
      'categoryCode',
      'categoryName',
      'closedAt',
      'history',
      'rating',
      'reportedAt',
      'status',
    ]);
    expect(JSON.stringify(p)).not.toMatch(/楼道|巡管员|lon|lat|followUp/);
    // as typed by a person: lower case, with a dash or spaces
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `;
    expect((await lookup({ caseNo, code: typed })).response.status).toBe(200);
  });

  it('answers a wrong code, an unknown number and a missing code alike: no walking, no oracle', async () => {
    const created = await report('patroller.a', {
      category: '0501',
      description: '垃圾',
      location: T.inGumeiC1,
    });
    const { caseNo } = created.case;
    const code = created.followUpCode!;
    const wrong = await lookup({ caseNo, code: 'ABCDEFGH' === code ? 'ABCDEFGJ' : 'ABCDEFGH' });
    const unknown = await lookup({ caseNo: '310112-2026-999999', code });
    expect(wrong.response.status).toBe(404);
    expect(unknown.response.status).toBe(404);
    expect(wrong.error).toEqual(unknown.error);
    expect(wrong.error?.detail).not.toContain(caseNo);
    // the number alone is not enough, by any route (bodies and paths the contract does not allow)
    const numberOnly = await t.raw(null, {
      method: 'POST',
      url: '/api/v1/public/cases/lookup',
      payload: { caseNo },
      remoteAddress: `10.0.0.${++address}`,
    });
    expect(numberOnly.statusCode).toBe(400);
    expect((await t.raw(null, { method: 'GET', url: `/api/v1/public/cases/${caseNo}` })).statusCode).toBe(
      404,
    );
    // a case without a code (reported before codes existed) cannot be followed
    await t.database.db
      .updateTable('cases')
      .set({ follow_up_code: null })
      .where('case_no', '=', caseNo)
      .execute();
    expect((await lookup({ caseNo, code })).error).toEqual(unknown.error);
  });

  it('never shows sensitive categories: 矛盾纠纷, 不稳定因素, flagged ones, or a case recategorised as one', async () => {
    const refusal = (await lookup({ caseNo: '310112-2026-999998', code: 'ABCDEFGH' })).error;
    expect(refusal).toMatchObject({ status: 404 });
    const dispute = await report('patroller.a', {
      category: '0603',
      description: '邻里纠纷',
      location: T.inGumeiC1,
    });
    expect(dispute.followUpCode).toMatch(CODE);
    const hidden = await lookup({ caseNo: dispute.case.caseNo, code: dispute.followUpCode! });
    expect(hidden.response.status).toBe(404);
    expect(hidden.error).toEqual(refusal);

    const building = await report('patroller.a', {
      category: '0102',
      description: '违法搭建',
      location: T.inGumeiC1,
    });
    const follow = async () =>
      (await lookup({ caseNo: building.case.caseNo, code: building.followUpCode! })).response.status;
    expect(await follow()).toBe(200);
    await t.database.db
      .updateTable('categories')
      .set({ sensitive: true })
      .where('code', '=', '0102')
      .execute();
    expect(await follow()).toBe(404);
    await t.database.db
      .updateTable('categories')
      .set({ sensitive: false })
      .where('code', '=', '0102')
      .execute();

    const recategorised = await report('patroller.a', {
      category: '0501',
      description: '聚集',
      location: T.inGumeiC1,
    });
    await act('dispatcher.a', recategorised.case.id, 'register', { category: '0602' });
    expect(
      (await lookup({ caseNo: recategorised.case.caseNo, code: recategorised.followUpCode! })).response
        .status,
    ).toBe(404);
  });

  it('lets the reporter and the owning centre’s intake staff read the code, nobody else', async () => {
    const hotline = await report('dispatcher.a', {
      source: 'hotline',
      category: '0501',
      description: '市民来电反映垃圾',
      location: T.inGumeiC1,
      reporter: { name: '王先生', phone: '13800001111' },
    });
    expect(hotline.followUpCode).toMatch(CODE);
    const created = await report('patroller.a', {
      category: '0501',
      description: '垃圾',
      location: T.inGumeiC1,
    });
    const id = created.case.id;
    await act('dispatcher.a', id, 'register');
    await act('dispatcher.a', id, 'dispatch');
    const codeFor = async (who: string) => (await t.detail(who, id)).followUpCode;
    expect(await codeFor('patroller.a')).toBe(created.followUpCode);
    expect(await codeFor('dispatcher.a')).toBe(created.followUpCode);
    expect(await codeFor('lead.a')).toBe(created.followUpCode);
    expect(await codeFor('greening')).toBeNull(); // the department handling it
    expect(await codeFor('leader')).toBeNull();
    expect(await codeFor('dist.dispatcher')).toBeNull(); // sees the district, does not own the case
    // lists never carry it
    const list = ok(await t.api('dispatcher.a').GET('/api/v1/cases'));
    expect(list.items.map((c) => c.id)).toContain(id);
    expect(JSON.stringify(list)).not.toContain(created.followUpCode);
  });

  it('keeps the rate limit: 60 lookups a minute per address', async () => {
    const from = '10.9.9.9';
    const body = { caseNo: '310112-2026-999997', code: 'ABCDEFGH' };
    for (let i = 0; i < 60; i++) expect((await lookup(body, from)).response.status).toBe(404);
    const limited = await lookup(body, from);
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('content-type')).toContain('application/problem+json');
  });
});

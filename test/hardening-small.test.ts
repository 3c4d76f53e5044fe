import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeOrphanUploads } from '../src/app/cases/remove-orphan-uploads.ts';
import { MAX_UNLINKED_UPLOADS, storeAttachment } from '../src/app/cases/store-attachment.ts';
import { parsePayload } from '../src/core/workflow/payloads.ts';
import type { Database } from '../src/db/database.ts';
import {
  caseApp,
  caseClock,
  multipartBody,
  seedCaseFixture,
  T,
  TINY_JPEG,
  type TestUser,
} from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { memoryFileStore } from './support/demo-slice.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const INVISIBLE = ['\u200b\u200b', ' \u200d\u2060 ', '\ufeff\u200c', '\u3000\u00a0', '\u0301\u0301'];

/** Issue 9 finding 11: no-store, visible reasons, orphan uploads, PDFs as downloads. */
describe('smaller hardening', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;
  const upload = (who: string, data: Buffer, name: string) => {
    const body = multipartBody(data, name);
    return app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(who), ...body.headers },
      payload: body.payload,
    });
  };
  let gumeiCase: Json;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category: '0101', description: '群租', location: T.inGumeiC1 },
    });
    gumeiCase = res.json<Json>().case;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('sends Cache-Control: no-store with API answers', async () => {
    for (const url of ['/api/v1/cases', `/api/v1/cases/${gumeiCase.id}`, '/api/v1/notifications']) {
      const res = await app.inject({ method: 'GET', url, headers: as('dispatcher.a') });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'x'.repeat(12) },
    });
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it('refuses reasons without a visible character, in the core and over HTTP', async () => {
    for (const reason of INVISIBLE) {
      expect(parsePayload('cancel', { reason }).ok, JSON.stringify(reason)).toBe(false);
      expect(parsePayload('return', { reason }).ok).toBe(false);
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${gumeiCase.id}/actions/reject`,
        headers: as('lead.a'),
        payload: { version: gumeiCase.version, reasonCode: 'invalid', reason },
      });
      expect(res.statusCode, res.body).toBe(400);
      const unmask = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${gumeiCase.id}/reporter/unmask`,
        headers: as('dispatcher.a'),
        payload: { reason },
      });
      expect(unmask.statusCode, unmask.body).toBe(400);
      expect(unmask.json<Json>().code).toBe('validation_failed');
    }
    expect(parsePayload('cancel', { reason: '重复' }).ok).toBe(true);
    expect(parsePayload('cancel', { reason: '\u200b重复' }).ok).toBe(true);
  });

  it('serves PDFs as downloads and photos inline', async () => {
    const pdf = await upload('patroller.a', TINY_PDF, 'notice.pdf');
    expect(pdf.statusCode, pdf.body).toBe(201);
    const pdfGet = await app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${pdf.json<Json>().id}`,
      headers: as('patroller.a'),
    });
    expect(pdfGet.headers['content-type']).toBe('application/pdf');
    expect(pdfGet.headers['content-disposition']).toMatch(/^attachment;/);
    const jpg = await upload('patroller.a', TINY_JPEG, 'a.jpg');
    const jpgGet = await app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${jpg.json<Json>().id}`,
      headers: as('patroller.a'),
    });
    expect(jpgGet.headers['content-disposition']).toMatch(/^inline;/);
  });

  it('caps a user’s unlinked uploads with a clear error', async () => {
    const codes: number[] = [];
    for (let i = 0; i < MAX_UNLINKED_UPLOADS + 2; i++)
      codes.push((await upload('patroller.a2', TINY_JPEG, `${i}.jpg`)).statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(MAX_UNLINKED_UPLOADS);
    const refused = await upload('patroller.a2', TINY_JPEG, 'more.jpg');
    expect(refused.statusCode).toBe(429);
    expect(refused.json<Json>()).toMatchObject({ code: 'rate_limited' });
    expect(refused.json<Json>().detail).toMatch(/not attached to a case/);
    // someone else is not affected
    expect((await upload('patroller.a', TINY_JPEG, 'mine.jpg')).statusCode).toBe(201);
  });

  it('removes uploads not linked within a day, each once across concurrent passes', async () => {
    const files = memoryFileStore();
    const actor = users.get('dispatcher.a')!.actor;
    const t0 = new Date('2026-03-20T02:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const data = Buffer.concat([TINY_JPEG.subarray(0, 20), Buffer.from([i]), TINY_JPEG.subarray(20)]);
      ids.push((await storeAttachment({ database, files, now: () => t0 }, actor, { data })).id);
    }
    const fresh = await storeAttachment(
      { database, files, now: () => new Date(t0.getTime() + 20 * 3600_000) },
      actor,
      { data: TINY_JPEG },
    );
    const later = () => new Date(t0.getTime() + 25 * 3600_000);
    const due = await database.db
      .selectFrom('attachments')
      .select('id')
      .where('case_id', 'is', null)
      .where('uploaded_at', '<', new Date(later().getTime() - 24 * 3600_000))
      .execute();
    const reports = await Promise.all(
      [1, 2, 3].map(() => removeOrphanUploads({ database, files, now: later }, { batchSize: 5 })),
    );
    const remaining = await database.db
      .selectFrom('attachments')
      .select('id')
      .where('id', 'in', [...ids, fresh.id])
      .execute();
    expect(remaining.map((r) => r.id)).toEqual([fresh.id]);
    // every due upload (ours and older unlinked ones) was removed exactly once across the three passes
    expect(reports.reduce((n, r) => n + r.removed, 0)).toBe(due.length);
    expect(due.length).toBeGreaterThanOrEqual(12);
    expect(await files.has(fresh.sha256)).toBe(true);
  });
});

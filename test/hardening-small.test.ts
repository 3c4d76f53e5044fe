import { beforeAll, describe, expect, it } from 'vitest';
import { removeOrphanUploads } from '../src/app/cases/remove-orphan-uploads.ts';
import { MAX_UNLINKED_UPLOADS, storeAttachment } from '../src/app/cases/store-attachment.ts';
import { parsePayload } from '../src/core/workflow/payloads.ts';
import { performAction, type Schemas } from './support/api.ts';
import { T, TINY_JPEG } from './support/cases.ts';
import { memoryFileStore } from './support/demo-slice.ts';
import { useCaseApi } from './support/harness.ts';

const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const INVISIBLE = ['\u200b\u200b', ' \u200d\u2060 ', '\ufeff\u200c', '\u3000\u00a0', '\u0301\u0301'];

/** Issue 9 finding 11: no-store, visible reasons, orphan uploads, PDFs as downloads. */
describe('smaller hardening', () => {
  const t = useCaseApi();
  const upload = (who: string, data: Buffer, name: string) => t.upload(who, data, name);
  let gumeiCase: Schemas['CaseSummary'];

  beforeAll(async () => {
    gumeiCase = (
      await t.report('patroller.a', { category: '0101', description: '群租', location: T.inGumeiC1 })
    ).case;
  });

  it('sends Cache-Control: no-store with API answers', async () => {
    const api = t.api('dispatcher.a');
    for (const res of [
      await api.GET('/api/v1/cases'),
      await api.GET('/api/v1/cases/{id}', { params: { path: { id: gumeiCase.id } } }),
      await api.GET('/api/v1/notifications'),
    ]) {
      expect(res.response.status, res.response.url).toBe(200);
      expect(res.response.headers.get('cache-control'), res.response.url).toBe('no-store');
    }
    const login = await t.api(null).POST('/api/v1/auth/login', {
      body: { username: 'nobody', password: 'x'.repeat(12) },
    });
    expect(login.response.status).toBe(401);
    expect(login.response.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses reasons without a visible character, in the core and over HTTP', async () => {
    for (const reason of INVISIBLE) {
      expect(parsePayload('cancel', { reason }).ok, JSON.stringify(reason)).toBe(false);
      expect(parsePayload('return', { reason }).ok).toBe(false);
      const res = await performAction(t.api('lead.a'), gumeiCase.id, 'reject', {
        version: gumeiCase.version,
        reasonCode: 'invalid',
        reason,
      });
      expect(res.response.status, JSON.stringify(res.error)).toBe(400);
      const unmask = await t.api('dispatcher.a').POST('/api/v1/cases/{id}/reporter/unmask', {
        params: { path: { id: gumeiCase.id } },
        body: { reason },
      });
      expect(unmask.response.status, JSON.stringify(unmask.error)).toBe(400);
      expect(unmask.error?.code).toBe('validation_failed');
    }
    expect(parsePayload('cancel', { reason: '重复' }).ok).toBe(true);
    expect(parsePayload('cancel', { reason: '\u200b重复' }).ok).toBe(true);
  });

  it('serves PDFs as downloads and photos inline', async () => {
    // a binary download: the typed client reads the headers and leaves the body alone
    const download = async (id: string) =>
      (
        await t.api('patroller.a').GET('/api/v1/attachments/{id}', {
          params: { path: { id } },
          parseAs: 'arrayBuffer',
        })
      ).response;
    const pdf = await upload('patroller.a', TINY_PDF, 'notice.pdf');
    expect(pdf.status, pdf.body).toBe(201);
    const pdfGet = await download(pdf.data!.id);
    expect(pdfGet.status).toBe(200);
    expect(pdfGet.headers.get('content-type')).toBe('application/pdf');
    expect(pdfGet.headers.get('content-disposition')).toMatch(/^attachment;/);
    const jpg = await upload('patroller.a', TINY_JPEG, 'a.jpg');
    const jpgGet = await download(jpg.data!.id);
    expect(jpgGet.status).toBe(200);
    expect(jpgGet.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('caps a user’s unlinked uploads with a clear error', async () => {
    const codes: number[] = [];
    for (let i = 0; i < MAX_UNLINKED_UPLOADS + 2; i++)
      codes.push((await upload('patroller.a2', TINY_JPEG, `${i}.jpg`)).status);
    expect(codes.filter((c) => c === 201)).toHaveLength(MAX_UNLINKED_UPLOADS);
    const refused = await upload('patroller.a2', TINY_JPEG, 'more.jpg');
    expect(refused.status).toBe(429);
    expect(refused.error).toMatchObject({ code: 'rate_limited' });
    expect(refused.error?.detail).toMatch(/not attached to a case/);
    // someone else is not affected
    expect((await upload('patroller.a', TINY_JPEG, 'mine.jpg')).status).toBe(201);
  });

  it('removes uploads not linked within a day, each once across concurrent passes', async () => {
    const files = memoryFileStore();
    const { database } = t;
    const actor = t.users.get('dispatcher.a')!.actor;
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

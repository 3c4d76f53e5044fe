import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import type { Actor } from '../../core/actor.ts';
import type { Database } from '../../db/database.ts';
import { errorHandler } from '../problem.ts';
import calendarRoutes from './calendar.ts';

const admin: Actor = {
  userId: 'u-admin',
  username: 'admin',
  displayName: '管理员',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: '310112' },
};

describe('calendar HTTP routes', () => {
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    // the server's conventions (src/server/app.ts): same ajv options and problem+json error handler;
    // a test header stands in for the auth hook
    app = Fastify({
      ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    }).withTypeProvider<TypeBoxTypeProvider>();
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      const role = request.headers['x-test-role'];
      if (typeof role === 'string') request.actor = { ...admin, role: role as Actor['role'] };
    });
    app.setErrorHandler(errorHandler);
    await app.register(calendarRoutes, { database });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('computes a due date (acceptance examples) in +08:00', async () => {
    const a = await get('/api/v1/calendar/due?start=2026-09-30T16:00%2B08:00&amount=4&unit=work_hour');
    expect(a.statusCode).toBe(200);
    expect(a.json()).toEqual({ due: '2026-10-08T11:30:00+08:00', provisional: false });
    const b = await get('/api/v1/calendar/due?start=2026-02-13T02:00:00Z&amount=2&unit=work_day');
    expect(b.json()).toEqual({ due: '2026-02-24T10:00:00+08:00', provisional: false });
  });

  it('accepts an unescaped + (arriving as a space) and flags provisional years', async () => {
    const r = await get('/api/v1/calendar/due?start=2026-12-31T17:00+08:00&amount=1&unit=work_hour');
    expect(r.json()).toEqual({ due: '2027-01-04T09:30:00+08:00', provisional: true });
  });

  it('answers malformed parameters with 400 validation_failed problem+json', async () => {
    for (const url of [
      '/api/v1/calendar/due?start=yesterday&amount=4&unit=work_hour',
      '/api/v1/calendar/due?start=2026-02-30T10:00%2B08:00&amount=4&unit=work_hour',
      '/api/v1/calendar/due?start=2026-09-30T16:00%2B08:00&amount=-1&unit=work_hour',
      '/api/v1/calendar/due?start=2026-09-30T16:00%2B08:00&amount=four&unit=work_hour',
      '/api/v1/calendar/due?start=2026-09-30T16:00%2B08:00&amount=4&unit=week',
      '/api/v1/calendar/due?amount=4&unit=work_hour',
      '/api/v1/calendar/days?from=2026-01-01&to=2027-01-02',
      '/api/v1/calendar/days?from=2026-03-02&to=2026-03-01',
      '/api/v1/calendar/days?from=2026-02-30&to=2026-03-01',
      '/api/v1/calendar/days?from=20260101&to=2026-03-01',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type'], url).toMatch(/application\/problem\+json/);
      expect(r.json().code, url).toBe('validation_failed');
    }
  });

  it('lists days with kind, source, name and provisional', async () => {
    const r = await get('/api/v1/calendar/days?from=2026-02-13&to=2026-02-15');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      from: '2026-02-13',
      to: '2026-02-15',
      items: [
        {
          date: '2026-02-13',
          kind: 'workday',
          workday: true,
          source: 'weekday_rule',
          name: null,
          provisional: false,
        },
        {
          date: '2026-02-14',
          kind: 'makeup_workday',
          workday: true,
          source: 'official',
          name: '春节',
          provisional: false,
        },
        {
          date: '2026-02-15',
          kind: 'holiday',
          workday: false,
          source: 'official',
          name: '春节',
          provisional: false,
        },
      ],
    });
    const y2027 = await get('/api/v1/calendar/days?from=2027-01-01&to=2027-01-01');
    expect(y2027.json().items[0]).toMatchObject({
      kind: 'holiday',
      source: 'statutory_fallback',
      name: '元旦',
      provisional: true,
    });
  });

  it('lets an admin set and remove an override; others are refused', async () => {
    const anonymous = await app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2027-02-20',
      payload: { kind: 'workday' },
    });
    expect(anonymous.statusCode).toBe(401);
    const dispatcher = await app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2027-02-20',
      headers: { 'x-test-role': 'dispatcher' },
      payload: { kind: 'workday' },
    });
    expect(dispatcher.statusCode).toBe(403);

    const set = await app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2027-02-20',
      headers: { 'x-test-role': 'admin' },
      payload: { kind: 'workday', note: '春节调休' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      date: '2027-02-20',
      kind: 'makeup_workday',
      source: 'override',
      name: '春节调休',
    });

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/calendar/overrides?from=2027-01-01',
      headers: { 'x-test-role': 'admin' },
    });
    expect(list.json().items).toEqual([
      expect.objectContaining({
        date: '2027-02-20',
        kind: 'workday',
        note: '春节调休',
        updatedBy: 'u-admin',
      }),
    ]);

    const removed = await app.inject({
      method: 'DELETE',
      url: '/api/v1/calendar/overrides/2027-02-20',
      headers: { 'x-test-role': 'admin' },
    });
    expect(removed.json()).toMatchObject({ kind: 'weekend', source: 'weekday_rule', provisional: true });
    const again = await app.inject({
      method: 'DELETE',
      url: '/api/v1/calendar/overrides/2027-02-20',
      headers: { 'x-test-role': 'admin' },
    });
    expect(again.statusCode).toBe(404);
  });

  it('lets an admin change the working segments', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/settings',
      headers: { 'x-test-role': 'admin' },
      payload: { segments: [{ start: '12:00', end: '09:00' }] },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/settings',
      headers: { 'x-test-role': 'admin' },
      payload: { segments: [{ start: '08:00', end: '12:00' }] },
    });
    expect(ok.json()).toMatchObject({ segments: [{ start: '08:00', end: '12:00' }], confirmedYears: [] });
    const due = await get('/api/v1/calendar/due?start=2026-03-02T11:00%2B08:00&amount=2&unit=work_hour');
    expect(due.json().due).toBe('2026-03-03T09:00:00+08:00');
  });
});

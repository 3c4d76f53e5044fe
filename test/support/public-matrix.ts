import type { InjectOptions } from 'fastify';
import { multipartBody, TINY_JPEG } from './cases.ts';

/**
 * The access-matrix rows of the public page's anonymous routes (issue 15; spread into
 * test/access-matrix.test.ts). They need no account and answer every caller alike, signed in or not:
 * what protects them is the proof of work, the number + code and the rate limits, not a role.
 */
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
interface PublicCheck {
  route: string;
  label?: string;
  request: () => Omit<InjectOptions, 'method'>;
  expect: () => Outcome;
  verify?: (body: unknown) => string | null;
}

const leaks = (body: unknown) =>
  /张三|13812345678|5678|matrix|MTRX|310112-|lon|lat|description/.test(JSON.stringify(body))
    ? 'personal data, numbers, places or descriptions exposed'
    : null;

export const PUBLIC_REPORT_CHECKS = (): PublicCheck[] => {
  const photo = multipartBody(TINY_JPEG, 'photo.jpg');
  return [
    {
      route: 'GET /api/v1/public/challenge',
      request: () => ({ url: '/api/v1/public/challenge' }),
      expect: () => 'ok',
      verify: (body) =>
        /^\d{13}\.[0-9a-f]{32}\.[0-9a-f]{64}$/.test((body as { challenge?: string }).challenge ?? '')
          ? null
          : 'not a signed challenge',
    },
    {
      route: 'POST /api/v1/public/attachments',
      request: () => ({ url: '/api/v1/public/attachments', headers: photo.headers, payload: photo.payload }),
      expect: () => 'ok',
    },
    {
      route: 'POST /api/v1/public/cases/nearby',
      request: () => ({
        url: '/api/v1/public/cases/nearby',
        payload: { category: '0501', location: { lon: 121.38, lat: 31.15 } },
      }),
      expect: () => 'ok',
      verify: leaks,
    },
    {
      // without a solved challenge nobody reports, signed in or not
      route: 'POST /api/v1/public/reports',
      label: 'an unsolved challenge',
      request: () => ({
        url: '/api/v1/public/reports',
        payload: {
          category: '0501',
          description: '垃圾',
          location: { lon: 121.38, lat: 31.15 },
          contact: '13800001111',
          challenge: `${Date.now()}.${'0'.repeat(32)}.${'0'.repeat(64)}`,
          nonce: '0',
        },
      }),
      expect: () => 400,
    },
    {
      // a case reported with an account is not rated on the public page, whoever asks with its code
      route: 'POST /api/v1/public/cases/rate',
      request: () => ({
        url: '/api/v1/public/cases/rate',
        payload: { caseNo: '310112-2026-900001', code: 'MTRX2345', satisfaction: 'satisfied' },
      }),
      expect: () => [403, 422],
    },
    {
      route: 'POST /api/v1/public/cases/rate',
      label: 'a wrong follow-up code',
      request: () => ({
        url: '/api/v1/public/cases/rate',
        payload: { caseNo: '310112-2026-900001', code: 'MTRX2346', satisfaction: 'satisfied' },
      }),
      expect: () => 404,
    },
  ];
};

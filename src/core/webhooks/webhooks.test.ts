import { describe, expect, it } from 'vitest';
import {
  buildWebhookPayload,
  checkWebhookUrl,
  FIRST_RETRY_MS,
  isPublicAddress,
  matchesWebhookFilter,
  MAX_RETRY_MS,
  nextRetryAt,
  RETRY_WINDOW_MS,
  signWebhook,
  verifyWebhookSignature,
  webhookEventType,
  type WebhookEventSource,
} from './index.ts';

describe('webhook signatures (Standard Webhooks)', () => {
  // the example of the Standard Webhooks specification's reference libraries
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const ts = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the published example', () => {
    expect(signWebhook([secret], id, ts, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with every secret during a rotation, each verifiable alone', () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const header = signWebhook([other, secret], id, ts, body);
    expect(header.split(' ')).toHaveLength(2);
    expect(verifyWebhookSignature(secret, id, ts, body, header)).toBe(true);
    expect(verifyWebhookSignature(other, id, ts, body, header)).toBe(true);
    expect(verifyWebhookSignature(secret, id, ts + 1, body, header)).toBe(false);
    expect(verifyWebhookSignature(secret, id, ts, body + ' ', header)).toBe(false);
    expect(verifyWebhookSignature(secret, id, ts, body, 'v2,abc v1,')).toBe(false);
  });
});

describe('webhook event types', () => {
  it('maps the workflow and the sweeper to event types, the rest to case.updated', () => {
    expect(webhookEventType('report')).toBe('case.created');
    expect(webhookEventType('dispatch')).toBe('case.dispatched');
    expect(webhookEventType('handle_locally')).toBe('case.handled');
    expect(webhookEventType('overdue_escalation')).toBe('case.escalated');
    expect(webhookEventType('escalate')).toBe('case.escalated');
    expect(webhookEventType('comment')).toBe('case.updated');
    expect(webhookEventType('toString')).toBe('case.updated');
  });
});

describe('webhook filters', () => {
  const facts = {
    categoryCode: '0501',
    districtCode: '310112',
    streetCode: '310112006',
    committeeCode: '310112006001',
    gridCode: null,
  };
  const all = { eventTypes: [], regionCodes: [], categoryCodes: [] };
  it('matches everything when empty', () => {
    expect(matchesWebhookFilter(all, 'case.closed', facts)).toBe(true);
  });
  it('filters by type, by any of the case regions, by 大类 or exact 小类', () => {
    expect(matchesWebhookFilter({ ...all, eventTypes: ['case.created'] }, 'case.closed', facts)).toBe(false);
    expect(matchesWebhookFilter({ ...all, regionCodes: ['310112006'] }, 'case.closed', facts)).toBe(true);
    expect(matchesWebhookFilter({ ...all, regionCodes: ['310112007'] }, 'case.closed', facts)).toBe(false);
    expect(matchesWebhookFilter({ ...all, categoryCodes: ['05'] }, 'case.closed', facts)).toBe(true);
    expect(matchesWebhookFilter({ ...all, categoryCodes: ['0501'] }, 'case.closed', facts)).toBe(true);
    expect(matchesWebhookFilter({ ...all, categoryCodes: ['0502', '06'] }, 'case.closed', facts)).toBe(false);
    // a 4-digit code never covers another by prefix
    expect(matchesWebhookFilter({ ...all, categoryCodes: ['050'] }, 'case.closed', facts)).toBe(false);
  });
  it('does not match a category filter before the case has a category', () => {
    const none = { ...facts, categoryCode: null };
    expect(matchesWebhookFilter({ ...all, categoryCodes: ['05'] }, 'case.created', none)).toBe(false);
    expect(matchesWebhookFilter(all, 'case.created', none)).toBe(true);
  });
});

describe('webhook payload', () => {
  const source: WebhookEventSource = {
    messageId: 'evt_1',
    type: 'case.created',
    event: {
      seq: 1,
      at: new Date('2026-03-02T02:00:00Z'),
      action: 'report',
      fromState: null,
      toState: 'reported',
      actorRole: 'citizen',
      actorUnit: 'none',
      actorName: '张三',
      payload: { note: '我是张三' },
    },
    case: {
      id: 'c1',
      caseNo: 'MH2026000001',
      source: 'citizen',
      categoryCode: null,
      urgency: 'normal',
      description: '垃圾',
      address: null,
      lon: 121.4,
      lat: 31.1,
      districtCode: '310112',
      streetCode: '310112006',
      committeeCode: null,
      gridCode: null,
      leadDepartmentId: null,
      reporterName: '张三',
      reporterPhone: '13800000000',
    },
  };
  it('carries no personal data unless allowed', () => {
    const text = JSON.stringify(buildWebhookPayload(source, false));
    expect(text).not.toContain('张三');
    expect(text).not.toContain('13800000000');
    expect(text).toContain('MH2026000001');
    const personal = JSON.stringify(buildWebhookPayload(source, true));
    expect(personal).toContain('13800000000');
    expect(personal).toContain('我是张三');
  });
});

describe('webhook retries', () => {
  const start = new Date('2026-03-02T00:00:00Z');
  it('doubles the wait from the first failure, capped, within ±20 %', () => {
    const at = (n: number, r: number) => nextRetryAt(n, start, start, r)!.getTime() - start.getTime();
    expect(at(1, 0.5)).toBe(FIRST_RETRY_MS);
    expect(at(2, 0.5)).toBe(2 * FIRST_RETRY_MS);
    expect(at(3, 0)).toBe(Math.round(4 * FIRST_RETRY_MS * 0.8));
    expect(at(3, 0.999999)).toBeLessThanOrEqual(4 * FIRST_RETRY_MS * 1.2);
    expect(at(40, 0.5)).toBe(MAX_RETRY_MS);
  });
  it('gives up once the next try would fall beyond a day', () => {
    const late = new Date(start.getTime() + RETRY_WINDOW_MS - 1000);
    expect(nextRetryAt(5, start, late, 0.5)).toBeNull();
    const early = new Date(start.getTime() + RETRY_WINDOW_MS - MAX_RETRY_MS * 2);
    expect(nextRetryAt(30, start, early, 0.5)).not.toBeNull();
  });
});

describe('webhook endpoints (SSRF)', () => {
  it('takes https on public names and addresses', () => {
    expect(checkWebhookUrl('https://hooks.example.com/x', false)).toBeNull();
    expect(checkWebhookUrl('https://8.8.8.8/x', false)).toBeNull();
  });
  it('refuses http, credentials, garbage, private and special addresses', () => {
    expect(checkWebhookUrl('http://hooks.example.com/x', false)).toBe('not_https');
    expect(checkWebhookUrl('https://a:b@hooks.example.com/', false)).toBe('credentials');
    expect(checkWebhookUrl('not a url', false)).toBe('invalid');
    expect(checkWebhookUrl('ftp://x', false)).toBe('not_https');
    for (const host of [
      'localhost',
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[fe80::1]',
      '[::ffff:10.0.0.1]',
      'a.localhost',
    ])
      expect(checkWebhookUrl(`https://${host}/hook`, false), host).toBe('private_address');
  });
  it('admits localhost over http only with the development flag', () => {
    expect(checkWebhookUrl('http://127.0.0.1:9999/hook', true)).toBeNull();
    expect(checkWebhookUrl('http://localhost:9999/hook', true)).toBeNull();
    expect(checkWebhookUrl('http://10.0.0.1/hook', true)).toBe('not_https');
  });
  it('tells public addresses from the rest', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('::ffff:127.0.0.1')).toBe(false);
    expect(isPublicAddress('224.0.0.1')).toBe(false);
    expect(isPublicAddress('nonsense')).toBe(false);
  });
});

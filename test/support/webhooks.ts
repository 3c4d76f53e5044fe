import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { multipartBody, TINY_JPEG } from './cases.ts';

/** One request as a test receiver saw it. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** What the receiver answered: a status, or 'hang' (never answered: the sender's timeout). */
  answer: number | 'hang';
}

/**
 * A local webhook receiver. `script` says how to answer the n-th request (0-based); past its end it
 * answers 200. `delayMs` delays every answer (a slow endpoint, to catch a process mid-attempt).
 */
export async function startReceiver(
  script: (number | 'hang')[] = [],
  options: { delayMs?: number } = {},
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const answer = script[received.length] ?? 200;
      received.push({
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        answer,
      });
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      setTimeout(() => res.writeHead(answer).end('ok'), options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Verifies a request as the Standard Webhooks specification describes it, written from the specification
 * (not with our signer): the secret is base64 after the `whsec_` prefix; the signed content is
 * `msg_id.timestamp.payload`; the header is a space-separated list of `v1,<base64 HMAC-SHA256>`, any one
 * of which may match.
 */
export function verifyStandardWebhook(
  secret: string,
  r: Pick<Received, 'id' | 'timestamp' | 'body' | 'signature'>,
) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.body}`).digest();
  return r.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Drives one case through the API from report to closure (group renting in 古美), advancing the clock. */
export async function walkCaseToClosure(
  app: FastifyInstance,
  auth: (who: string) => Record<string, string>,
  patrollerId: string,
  advance: (ms: number) => void,
  between: (step: string) => Promise<void> = async () => undefined,
): Promise<{ id: string; caseNo: string }> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: auth('patroller.a'),
    payload: {
      category: '0101',
      description: '古美路某小区疑似群租',
      location: { lon: 121.385, lat: 31.15 },
    },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const c = created.json<{ case: { id: string; caseNo: string } }>().case;
  const photo = multipartBody(TINY_JPEG, 'after.jpg');
  const uploaded = await app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { ...auth('housing.a'), ...photo.headers },
    payload: photo.payload,
  });
  if (uploaded.statusCode !== 201) throw new Error(uploaded.body);
  const photoId = uploaded.json<{ id: string }>().id;
  const steps: [string, string, object][] = [
    ['dispatcher.a', 'register', { note: '立案' }],
    ['dispatcher.a', 'dispatch', {}],
    ['housing.a', 'sign', {}],
    ['housing.a', 'handle', { result: '已责令整改', photos: [photoId] }],
    ['dispatcher.a', 'assign_check', { patrollerId }],
    ['patroller.a', 'submit_check', { passed: true, note: '已整改' }],
    ['lead.a', 'close', { note: '结案' }],
  ];
  for (const [who, action, payload] of steps) {
    await between(action);
    advance(20 * 60_000);
    const detail = await app.inject({ method: 'GET', url: `/api/v1/cases/${c.id}`, headers: auth(who) });
    const version = detail.json<{ version: number }>().version;
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/actions/${action}`,
      headers: auth(who),
      payload: { version, ...payload },
    });
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.body}`);
  }
  return c;
}

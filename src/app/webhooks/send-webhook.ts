import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkWebhookUrl, isLoopbackAddress, isPublicAddress } from '../../core/webhooks/index.ts';
import type { WebhookAttemptOutcome } from '../../db/schema/webhooks.ts';

export interface SendResult {
  outcome: WebhookAttemptOutcome;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

/** The most of a response body read (and thrown away): receivers answer with a status. */
const MAX_RESPONSE_BYTES = 64 * 1024;

class RefusedAddress extends Error {}

/** Resolves like the default lookup, refusing non-public addresses (DNS rebinding cannot slip past the URL check). */
function guardedLookup(allowLocal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find(
        (a) => !isPublicAddress(a.address) && !(allowLocal && isLoopbackAddress(a.address)),
      );
      if (bad)
        return callback(
          new RefusedAddress(`${hostname} resolves to ${bad.address}, not a public address`),
          '',
          4,
        );
      if (options.all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * One POST of a webhook: no redirects followed, the whole exchange bounded by `timeoutMs`, the endpoint
 * checked again (URL rules, then every resolved address) before connecting. Never throws: every failure is
 * an outcome with its error text.
 */
export function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowLocal: boolean },
): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const problem = checkWebhookUrl(url, options.allowLocal);
  if (problem)
    return Promise.resolve({
      outcome: 'refused',
      statusCode: null,
      error: `endpoint refused: ${problem}`,
      latencyMs: 0,
    });
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: latency() });
    };
    const payload = Buffer.from(body, 'utf8');
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(payload.length),
          'user-agent': 'Liandong-Webhooks/1',
        },
        lookup: guardedLookup(options.allowLocal),
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? 0;
          finish(
            status >= 200 && status < 300
              ? { outcome: 'success', statusCode: status, error: null }
              : { outcome: 'http_error', statusCode: status, error: `HTTP ${status}` },
          );
        };
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ outcome: 'timeout', statusCode: null, error: `no answer within ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error) => {
      finish({
        outcome: error instanceof RefusedAddress ? 'refused' : 'network_error',
        statusCode: null,
        error: error.message.slice(0, 500),
      });
    });
    request.end(payload);
  });
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { errorHandler } from '../problem.ts';

export interface WebOptions {
  /** The built web app (default: web/dist next to the sources). */
  distDir?: string;
}

const defaultDist = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const MISSING_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>联动 Liandong</title>
<style>body{font:15px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2733}
code{background:#eef2f6;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>联动 Liandong</h1>
<p>网页控制台尚未构建。请运行 <code>npm run build</code>（或直接 <code>npm start</code>，会自动构建）。</p>
<p>The web console has not been built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>
<p>API: <a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a></p></body></html>`;

const isApiPath = (url: string) =>
  url === '/api' || url.startsWith('/api/') || url === '/openapi.json' || url.startsWith('/docs');

/**
 * Serves the single-page web console from web/dist at `/`, with the SPA fallback (any other non-API GET
 * answers index.html, so /cases/123 can be reloaded). Register it last: every API route wins over it.
 */
export default async function webRoutes(app: FastifyInstance, options: WebOptions = {}): Promise<void> {
  const dist = path.resolve(options.distDir ?? defaultDist);
  const indexFile = path.join(dist, 'index.html');

  if (!fs.existsSync(indexFile)) {
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      if (isApiPath(request.url)) return notFound(request, reply);
      return reply.status(503).type('text/html; charset=utf-8').send(MISSING_PAGE);
    });
    return;
  }

  // `serve: false`: only the sendFile decorator; the route below looks files up at request time, so a
  // rebuild of the web app is served without restarting the server
  await app.register(fastifyStatic, { root: dist, serve: false });

  const send = (reply: FastifyReply, file: string) => {
    // hashed assets never change; index.html must always be fresh to pick up a new build
    const immutable = file.startsWith('assets/');
    return reply
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .sendFile(file, dist, { cacheControl: false });
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      return notFound(request, reply); // malformed escape
    }
    if (isApiPath(pathname)) return notFound(request, reply);
    const file = path.resolve(dist, `.${pathname}`);
    const inside = file.startsWith(dist + path.sep);
    if (inside && fs.existsSync(file) && fs.statSync(file).isFile())
      return send(reply, path.relative(dist, file).split(path.sep).join('/'));
    if (pathname.startsWith('/assets/') || path.extname(pathname)) return notFound(request, reply);
    return send(reply, 'index.html'); // the SPA route: the app reads the path itself
  };
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return errorHandler(new AppError('not_found', `No route GET ${request.url.split('?')[0]}`), request, reply);
}

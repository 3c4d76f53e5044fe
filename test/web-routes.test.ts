import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../src/server/problem.ts';
import webRoutes from '../src/server/routes/web.ts';

async function serve(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  app.get('/api/v1/ping', async () => ({ pong: true }));
  await app.register(webRoutes, { distDir });
  return app;
}

/** The web console at `/`: built files, the SPA fallback, API paths untouched, and a page when unbuilt. */
describe('web console routes', () => {
  let dist: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-web-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>联动</title><div id="root"></div>',
    );
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await serve(dist);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and for every page path (SPA fallback), never cached', async () => {
    for (const url of ['/', '/workbench', '/cases/123?x=1', '/m/report']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves built files; hashed assets are cached for good', async () => {
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ url: '/favicon.svg' })).statusCode).toBe(200);
  });

  it('picks up a rebuild without a restart', async () => {
    fs.writeFileSync(path.join(dist, 'assets', 'index-new456.js'), 'console.log(2)');
    expect((await app.inject({ url: '/assets/index-new456.js' })).statusCode).toBe(200);
  });

  it('answers 404 problems for missing files and unknown API paths, and leaves API routes alone', async () => {
    const missing = await app.inject({ url: '/assets/gone.js' });
    expect(missing.statusCode).toBe(404);
    const api = await app.inject({ url: '/api/v1/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ url: '/api/v1/ping' })).json()).toEqual({ pong: true });
  });

  it('never serves files outside the build', async () => {
    for (const url of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/%E0%A4%A',
    ]) {
      const res = await app.inject({ url });
      expect(res.body, url).not.toContain('"name"');
      expect(res.statusCode, url).toBeLessThan(500);
    }
  });

  it('shows a friendly page when the web app has not been built', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-noweb-'));
    const bare = await serve(path.join(empty, 'dist'));
    const res = await bare.inject({ url: '/workbench' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect((await bare.inject({ url: '/api/v1/nothing' })).statusCode).toBe(404);
    await bare.close();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

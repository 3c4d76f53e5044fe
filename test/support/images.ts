import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.ts';

/**
 * Pre-migrated database images, so that no test file migrates from scratch:
 * - PGlite: a dump of a migrated cluster (`dumpDataDir`), kept in `node_modules/.cache/liandong-test/`;
 *   each test file starts its in-memory database from it (`loadDataDir`);
 * - PostgreSQL server: a migrated template database; each test file gets `create database … template`.
 *
 * Both are named by a hash of the migration files (and of the PGlite version for the dump), so a new or
 * changed migration — from any branch — builds a new image on the next run, and a stale one is never
 * used. The vitest global setup (`global-setup.ts`) builds the image once per run; a test started some
 * other way builds it on first use. Concurrent builders each write under a unique name and rename, so
 * the first finished wins and nobody reads half an image.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const IMAGE_DIR = path.join(ROOT, 'node_modules/.cache/liandong-test');

/** A hash of the migrations: their names and contents, in the order they apply. */
export function migrationsHash(extra = '', dir = MIGRATIONS_DIR): string {
  const hash = createHash('sha256').update(extra);
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

const pgliteVersion = (): string =>
  (
    JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
    ) as { version: string }
  ).version;

/** Where the PGlite image for the current migrations lives. */
export const pgliteImagePath = (): string =>
  path.join(IMAGE_DIR, `pglite-${migrationsHash(`pglite ${pgliteVersion()}`)}.tar`);

/** Builds the PGlite image unless it exists; returns its path. */
export async function ensurePgliteImage(): Promise<string> {
  const file = pgliteImagePath();
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(IMAGE_DIR, { recursive: true });
  // migrate through the product's own code path (a data folder), then dump that folder
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-image-'));
  try {
    const database = await openDatabase({ pgliteDir: dir });
    await migrate(database);
    await database.close();
    const pglite = new PGlite(dir);
    await pglite.waitReady;
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  pruneImages('pglite-', '.tar');
  return file;
}

/** Keeps the three newest images of a kind (other branches' migrations), so the cache does not grow. */
export function pruneImages(prefix: string, suffix: string): void {
  const images = fs
    .readdirSync(IMAGE_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
    .map((f) => ({ file: path.join(IMAGE_DIR, f), at: fs.statSync(path.join(IMAGE_DIR, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of images.slice(3)) fs.rmSync(old.file, { force: true });
}

let image: Promise<Blob> | undefined;

/** The PGlite image as a Blob (read once per process). */
export function pgliteImage(): Promise<Blob> {
  image ??= ensurePgliteImage().then(
    (file) => new Blob([fs.readFileSync(file)], { type: 'application/x-tar' }),
  );
  return image;
}

const templates = new Map<string, Promise<string>>();

/** The migrated template database on the server at `serverUrl` (built unless it exists); its name. */
export function serverTemplate(serverUrl: string): Promise<string> {
  let template = templates.get(serverUrl);
  if (!template) {
    template = ensureServerTemplate(serverUrl);
    templates.set(serverUrl, template);
  }
  return template;
}

async function ensureServerTemplate(serverUrl: string): Promise<string> {
  const name = `liandong_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return name;
    const building = `${name}_${randomBytes(4).toString('hex')}`;
    await admin.query(`create database ${building}`);
    try {
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
      try {
        await migrate(database);
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
    } catch (error) {
      await admin.query(`drop database if exists ${building} with (force)`);
      // another run finished the same template first: use it
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
    return name;
  } finally {
    await admin.end();
  }
}

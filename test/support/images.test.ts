import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.ts';
import { createTestDatabase } from './database.ts';
import { IMAGE_DIR, migrationsHash, pruneImages } from './images.ts';

describe('pre-migrated test database images', () => {
  it('are named by the migrations, so a new or edited migration builds a new image', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-migrations-'));
    try {
      for (const f of fs.readdirSync(MIGRATIONS_DIR))
        fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
      const original = migrationsHash('', dir);
      expect(migrationsHash('', MIGRATIONS_DIR)).toBe(original);
      fs.writeFileSync(path.join(dir, '9999_more.sql'), 'create table more (id int);');
      const added = migrationsHash('', dir);
      expect(added).not.toBe(original);
      fs.writeFileSync(path.join(dir, '9999_more.sql'), 'create table more (id bigint);');
      const edited = migrationsHash('', dir);
      expect(edited).not.toBe(added);
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a migration');
      expect(migrationsHash('', dir)).toBe(edited);
      expect(migrationsHash('pglite 1', dir)).not.toBe(migrationsHash('pglite 2', dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('give every test file its own database with every migration applied', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(await migrate(a)).toEqual([]);
      const applied = await a.db
        .selectFrom('schema_migrations' as never)
        .selectAll()
        .execute();
      expect(applied).toHaveLength(fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
      await a.db
        .insertInto('app_settings')
        .values({ key: 'only-in-a', value: JSON.stringify(1) })
        .execute();
      const inB = await b.db
        .selectFrom('app_settings')
        .select('key')
        .where('key', '=', 'only-in-a')
        .execute();
      expect(inB).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keep the three newest images of a kind', () => {
    const prefix = `prune-test-${process.pid}-`;
    fs.mkdirSync(IMAGE_DIR, { recursive: true });
    const files = [0, 1, 2, 3, 4].map((i) => path.join(IMAGE_DIR, `${prefix}${i}.tar`));
    try {
      files.forEach((f, i) => {
        fs.writeFileSync(f, '');
        fs.utimesSync(f, 1_000_000 + i, 1_000_000 + i);
      });
      pruneImages(prefix, '.tar');
      expect(files.map((f) => fs.existsSync(f))).toEqual([false, false, true, true, true]);
    } finally {
      for (const f of files) fs.rmSync(f, { force: true });
    }
  });
});

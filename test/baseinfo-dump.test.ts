import { execFileSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { piiKeyring, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { insertJsonRows, personRow, unitRow } from '../src/app/baseinfo/records.ts';
import type { Person } from '../src/core/baseinfo/types.ts';
import { residentIdCheckChar } from '../src/core/baseinfo/validate.ts';
import { PGliteDialect } from '../src/db/pglite-dialect.ts';
import type { DB } from '../src/db/schema/index.ts';
import { createTestDatabase, TEST_PII_KEYRING } from './support/database.ts';
import { pgliteImage } from './support/images.ts';

/**
 * Issue 12 acceptance: a dump of the database — the PGlite data folder, or `pg_dump` of the server —
 * holds no ID number and no phone number in clear text. The person's name (stored in clear) is the
 * control: the dump is searched the same way and it is found, so the search can fail.
 */

const idOf = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;
const PEOPLE: Person[] = Array.from({ length: 20 }, (_, i) => {
  const idNumber = idOf(`9901121985${String((i % 12) + 1).padStart(2, '0')}15${String(i).padStart(3, '0')}`);
  return {
    id: `dump-${i}`,
    name: `测试人员${i}号`,
    idType: 'resident_id',
    idNumber,
    sex: null,
    birthDate: null,
    phone: `1400${String(5550000 + i).padStart(7, '0')}`,
    hukou: 'local',
    dwellingId: null,
    movedInOn: null,
    leftOn: null,
    status: 'present',
  };
});
const UNIT_PHONE = '14000077777';

async function fill(db: Kysely<DB>): Promise<void> {
  await insertJsonRows(
    db,
    'base_people',
    PEOPLE.map((p) => personRow(piiKeyring(), p)),
  );
  await insertJsonRows(db, 'base_units', [
    unitRow(piiKeyring(), {
      id: 'dump-unit',
      name: '测试单位',
      creditCode: null,
      kind: 'company',
      industry: 'other',
      licenceStatus: 'none',
      licenceNo: null,
      licenceExpiresOn: null,
      addressId: null,
      responsiblePerson: null,
      phone: UNIT_PHONE,
      employees: null,
      status: 'active',
    }),
  ]);
}

function expectNoClearText(dump: Buffer): void {
  // the control: names are stored in clear, so the search itself works
  expect(dump.includes(Buffer.from(PEOPLE[7]!.name, 'utf8'))).toBe(true);
  for (const p of PEOPLE) {
    expect(dump.includes(Buffer.from(p.idNumber)), p.idNumber).toBe(false);
    expect(dump.includes(Buffer.from(p.phone!)), p.phone!).toBe(false);
    // nor a long run of either: the last 8 digits
    expect(dump.includes(Buffer.from(p.idNumber.slice(-8))), p.idNumber).toBe(false);
  }
  expect(dump.includes(Buffer.from(UNIT_PHONE))).toBe(false);
}

const onServer = Boolean(process.env.TEST_DATABASE_URL);

describe('a database dump reveals no ID or phone number', () => {
  it.skipIf(onServer)('the PGlite data folder (dumpDataDir)', async () => {
    setPiiKeyring(TEST_PII_KEYRING);
    // the migrated test image, opened here so that the test holds the PGlite handle to dump
    const pglite = new PGlite({ loadDataDir: await pgliteImage(), extensions: { pg_trgm } });
    await pglite.waitReady;
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    try {
      await fill(db);
      await pglite.exec('checkpoint');
      const dump = await pglite.dumpDataDir('none');
      expectNoClearText(Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });

  it.runIf(onServer)('pg_dump of the PostgreSQL database', async () => {
    const database = await createTestDatabase();
    try {
      await fill(database.db);
      const dump = execFileSync('pg_dump', ['--no-owner', '--data-only', database.url!], {
        maxBuffer: 256 * 1024 * 1024,
      });
      expectNoClearText(dump);
    } finally {
      await database.close();
    }
  });
});

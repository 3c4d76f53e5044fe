/**
 * `npm run bench` — base-information import (issue 12): rows/s of `liandong import people` (the real job:
 * stream, parse, validate, match the address, encrypt + hash, upsert in batches with history) against a
 * baseline measured in the same run: the database's own bulk load of the same CSV file into a plain
 * table — PostgreSQL `COPY … FROM STDIN` on the server, `COPY … FROM '/dev/blob'` on an embedded PGlite
 * (on disk, like the target). Knob: BENCH_IMPORT_ROWS (default 20000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createImportRun } from '../src/app/imports/create-import-run.ts';
import { runImport } from '../src/app/imports/run-import.ts';
import type { ImportSealer } from '../src/app/imports/batch.ts';
import { SILENT } from '../src/app/logger.ts';
import { SYSTEM_ACTOR } from '../src/core/actor.ts';
import { residentIdCheckChar } from '../src/core/baseinfo/index.ts';
import type { Database } from '../src/db/database.ts';
import { fmt, table } from './measure.ts';

export const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
const ROOMS = 1_000;
const STREET = '310112006'; // 古美街道

export interface ImportBench {
  label: string;
  rows: number;
  importRowsPerSec: number;
  baselineRowsPerSec: number;
  baselineLabel: string;
}

const room = (i: number) =>
  `基准路${1 + Math.floor(i / 200)}弄${1 + Math.floor((i % 200) / 10)}号${101 + (i % 10)}室`;

function writeFile(file: string, lines: Iterable<string>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk = '';
    for (const line of lines) {
      chunk += `${line}\n`;
      if (chunk.length > 1 << 16) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

function* people(rows: number): Generator<string> {
  yield '姓名,证件号码,性别,联系电话,户籍类别,地址,入住日期';
  for (let i = 0; i < rows; i++) {
    const seq = String(i % 1000).padStart(3, '0');
    // 99xxxx is no real region code: these numbers cannot be anybody's
    const first17 = `99${String(Math.floor(i / 1000)).padStart(4, '0')}1985061${i % 10}${seq}`;
    const sex = Number(seq[2]) % 2 === 1 ? '男' : '女';
    yield `基准${i},${first17}${residentIdCheckChar(first17)},${sex},140${String(i).padStart(8, '0')},来沪人员,${room(i % ROOMS)},2021-03-01`;
  }
}

/** Imports N people (after the addresses and dwellings they live in) and the same file by COPY. */
export async function benchImport(
  database: Database,
  label: string,
  sealer: ImportSealer,
  serverUrl: string | null,
): Promise<ImportBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-import-'));
  try {
    const files = {
      addresses: path.join(dir, 'addresses.csv'),
      dwellings: path.join(dir, 'dwellings.csv'),
      people: path.join(dir, 'people.csv'),
    };
    const rooms = Array.from({ length: ROOMS }, (_, i) => i);
    writeFile(files.addresses, ['地址编码,标准地址', ...rooms.map((i) => `BENCH${i},${room(i)}`)]);
    writeFile(files.dwellings, ['地址编码,房屋用途,居住类型', ...rooms.map((i) => `BENCH${i},住宅,出租`)]);
    writeFile(files.people, people(IMPORT_ROWS));
    const run = async (kind: 'addresses' | 'dwellings' | 'people') => {
      const { run: created } = await createImportRun(database, SYSTEM_ACTOR, {
        kind,
        fileName: `${kind}.csv`,
        filePath: files[kind],
        streetCode: STREET,
        dryRun: false,
      });
      const outcome = await runImport({ database, logger: SILENT, sealer }, created.id);
      if (outcome.status !== 'done' || outcome.refused > 0)
        throw new Error(`bench import of ${kind} did not go through: ${JSON.stringify(outcome)}`);
      return outcome;
    };
    await run('addresses');
    await run('dwellings');
    const t = performance.now();
    await run('people');
    const importMs = performance.now() - t;

    let baselineMs: number;
    let baselineLabel: string;
    if (serverUrl) {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(
          'create temp table bench_copy (name text, id_number text, sex text, phone text, hukou text, address text, moved_in text)',
        );
        const b = performance.now();
        await pipeline(
          fs.createReadStream(files.people),
          client.query(copyFrom('copy bench_copy from stdin with (format csv, header true)')),
        );
        baselineMs = performance.now() - b;
      } finally {
        await client.end();
      }
      baselineLabel = 'COPY FROM STDIN into a plain table (same server)';
    } else {
      const pglite = new PGlite(path.join(dir, 'pglite'));
      try {
        await pglite.exec(
          'create table bench_copy (name text, id_number text, sex text, phone text, hukou text, address text, moved_in text)',
        );
        const blob = new Blob([fs.readFileSync(files.people)]);
        const b = performance.now();
        await pglite.query("copy bench_copy from '/dev/blob' with (format csv, header true)", [], { blob });
        baselineMs = performance.now() - b;
      } finally {
        await pglite.close();
      }
      baselineLabel = "COPY FROM '/dev/blob' into a plain table (PGlite on disk)";
    }
    return {
      label,
      rows: IMPORT_ROWS,
      importRowsPerSec: (IMPORT_ROWS / importMs) * 1000,
      baselineRowsPerSec: (IMPORT_ROWS / baselineMs) * 1000,
      baselineLabel,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench report's section. */
export function importSection(results: readonly ImportBench[]): string[] {
  return [
    `## Import: \`liandong import people\` (${IMPORT_ROWS} rows) vs a bulk COPY of the same file`,
    '',
    table(
      ['database', 'import rows/s', 'baseline', 'baseline rows/s', 'baseline ÷ import'],
      results.map((r) => [
        r.label,
        fmt(r.importRowsPerSec, 0),
        r.baselineLabel,
        fmt(r.baselineRowsPerSec, 0),
        `${fmt(r.baselineRowsPerSec / r.importRowsPerSec)}×`,
      ]),
    ),
    '',
    'The import parses and validates every row (GB 11643 check digit), matches its address, encrypts the ID and phone numbers (AES-256-GCM) with their HMAC lookup hashes, upserts in batches of 500 with a history row each; the baseline only loads text.',
  ];
}

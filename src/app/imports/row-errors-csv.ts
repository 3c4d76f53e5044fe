import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { reasonText } from '../../core/imports/reasons.ts';
import type { Database } from '../../db/database.ts';
import { allImportRowErrors } from './query-imports.ts';

/**
 * A run's row report as CSV (UTF-8 with a BOM, so Excel opens the Chinese right): row, column, value,
 * reason code, what it means. Streamed page by page from the database.
 */
export function rowErrorsCsv(database: Database, runId: string): Readable {
  const rows = async function* () {
    yield ['行号 row', '列 column', '值 value', '原因 reason', '说明 description'];
    for await (const e of allImportRowErrors(database, runId))
      yield [e.row, e.column ?? '', e.value ?? '', e.reason, reasonText(e.reason)];
  };
  return Readable.from(rows()).pipe(stringify({ bom: true, record_delimiter: '\r\n' }));
}

/**
 * Address search over the demo base information (issue 12, acceptance: "address-search p50/p95 over the
 * demo"): `searchAddresses` as the 古美 street dispatcher would type ("古美路1弄 3号 502", full-width
 * digits, spaces), against a same-run baseline on the same database — the plain indexed lookup of one
 * address by its code. One worker (latency, not throughput). Knob: BENCH_ADDRESS_SEARCHES (default 400).
 */
import { searchAddresses } from '../src/app/baseinfo/search-addresses.ts';
import { actorOfRow } from '../src/app/identity/user-view.ts';
import type { Database } from '../src/db/database.ts';
import { fmt, measure, table, type Measurement } from './measure.ts';

const SEARCHES = Number(process.env.BENCH_ADDRESS_SEARCHES ?? 400);

export interface AddressSearchBench {
  label: string;
  addresses: number;
  search: Measurement;
  /** Searches that did not find the address they were typed from. */
  missed: number;
  baseline: Measurement;
}

/** How an operator types an address: spaces between the parts, now and then full-width digits. */
function typed(fullText: string, i: number): string {
  const spaced = fullText.replace(/(弄|号|幢|单元)/gu, '$1 ').trim();
  return i % 3 === 0
    ? spaced.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
    : spaced;
}

export async function benchAddressSearch(
  database: Database,
  label: string,
): Promise<AddressSearchBench | null> {
  const { db } = database;
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', 'gumei.dispatcher')
    .executeTakeFirst();
  const street = await db
    .selectFrom('base_addresses')
    .select('street_code')
    .groupBy('street_code')
    .orderBy(db.fn.countAll(), 'desc')
    .executeTakeFirst();
  if (!user || !street) return null;
  const actor = actorOfRow(user);
  // a deterministic spread of the street's rooms and numbers
  const sample = await db
    .selectFrom('base_addresses')
    .select(['id', 'code', 'full_text'])
    .where('street_code', '=', street.street_code)
    .where('level', 'in', ['room', 'number'])
    .orderBy('code')
    .execute();
  const [{ n } = { n: 0 }] = await db
    .selectFrom('base_addresses')
    .select(db.fn.countAll<number>().as('n'))
    .execute();
  if (sample.length === 0) return null;
  const pick = (i: number) => sample[(i * 7919) % sample.length]!;
  let missed = 0;
  const search = async (i: number) => {
    const a = pick(i);
    const found = await searchAddresses({ database }, actor, { query: typed(a.full_text, i), limit: 10 });
    if (!found.some((f) => f.id === a.id)) missed++;
    return found.length > 0;
  };
  const byCode = async (i: number) =>
    (await db
      .selectFrom('base_addresses')
      .selectAll()
      .where('code', '=', pick(i).code)
      .executeTakeFirst()) !== undefined;
  await measure(30, 1, search);
  await measure(30, 1, byCode);
  missed = 0;
  const measured = await measure(SEARCHES, 1, search);
  const baseline = await measure(SEARCHES, 1, byCode);
  return { label, addresses: Number(n), search: measured, missed, baseline };
}

export function addressSearchSection(results: readonly AddressSearchBench[]): string[] {
  if (results.length === 0) return [];
  return [
    '## Address search over the demo base information',
    '',
    table(
      [
        'database',
        'addresses',
        'search p50 ms',
        'p95 ms',
        'found',
        'baseline: by code p50 ms',
        'p95 ms',
        'p50 ÷ baseline',
      ],
      results.map((r) => [
        r.label,
        String(r.addresses),
        fmt(r.search.p50Ms, 2),
        fmt(r.search.p95Ms, 2),
        `${fmt(((r.search.ops - r.missed) / r.search.ops) * 100, 0)} %`,
        fmt(r.baseline.p50Ms, 2),
        fmt(r.baseline.p95Ms, 2),
        `${fmt(r.search.p50Ms / r.baseline.p50Ms)}×`,
      ]),
    ),
    '',
    `${SEARCHES} searches, one at a time, as the street dispatcher types them (spaces, every third in full-width digits); ` +
      'the baseline fetches the same address by its code through the unique index.',
  ];
}

import type { Kysely } from 'kysely';
import { SERVICE_ATTRIBUTES } from '../../core/open311/index.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Open311Service } from './types.ts';

/** Our active 小类 as services, grouped by their 大类; the metadata flag says a definition asks for more. */
export async function listOpen311Services(db: Kysely<DB>): Promise<Open311Service[]> {
  const rows = await db
    .selectFrom('categories as c')
    .innerJoin('categories as p', 'p.code', 'c.parent_code')
    .select(['c.code', 'c.name_zh', 'c.name_en', 'p.name_zh as group_zh', 'p.name_en as group_en'])
    .where('c.active', '=', true)
    .orderBy('p.sort')
    .orderBy('c.sort')
    .orderBy('c.code')
    .execute();
  return rows.map((r) => ({
    service_code: r.code,
    service_name: r.name_zh,
    description: `${r.name_zh} (${r.name_en})`,
    metadata: (SERVICE_ATTRIBUTES[r.code]?.length ?? 0) > 0,
    type: 'realtime' as const,
    keywords: [r.name_zh, r.name_en, r.group_zh, r.group_en].join(','),
    group: r.group_zh,
  }));
}

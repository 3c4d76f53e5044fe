import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { baseInfoAccess, type BaseInfoAccess } from '../../core/policy/base-info.ts';
import type { DB } from '../../db/schema/index.ts';

/**
 * The actor's base-information access (src/core/policy/base-info.ts) with the department facts it needs
 * loaded: a department role's department type and coverage.
 */
export async function loadBaseInfoAccess(db: Kysely<DB>, actor: Actor): Promise<BaseInfoAccess> {
  if (actor.unit.kind !== 'department') return baseInfoAccess(actor, null);
  const department = await db
    .selectFrom('departments')
    .select(['type', 'active'])
    .where('id', '=', actor.unit.id)
    .executeTakeFirst();
  if (!department?.active) return baseInfoAccess(actor, null);
  const coverage = await db
    .selectFrom('department_coverage')
    .select('region_code')
    .where('department_id', '=', actor.unit.id)
    .execute();
  return baseInfoAccess(actor, { type: department.type, coverage: coverage.map((c) => c.region_code) });
}

/**
 * The SQL twin of `placeInRegions(regions, placeOfAddress(row))` over an address table alias: one
 * indexed equality per region (a street, committee or grid code matches its own column; a district code
 * matches every street that starts with it). No regions = false (fail closed).
 */
export function addressScopeSql(regions: readonly string[], alias: string): RawBuilder<SqlBool> {
  const parts = regions.map((code) => {
    const ref = (column: string) => sql.ref(`${alias}.${column}`);
    switch (code.length) {
      case 9:
        return sql<SqlBool>`${ref('street_code')} = ${code}`;
      case 12:
        return sql<SqlBool>`${ref('committee_code')} = ${code}`;
      case 14:
        return sql<SqlBool>`${ref('grid_code')} = ${code}`;
      default:
        return sql<SqlBool>`${ref('street_code')} like ${`${code}%`}`;
    }
  });
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../core/actor.ts';
import { caseScope, type CaseScopeRow, type ScopeRule } from '../core/policy/case-scope.ts';

/**
 * The case scope of src/core/policy/case-scope.ts as SQL. Lists, counts, searches and exports filter
 * with this expression, detail pages check `isCaseInScope` — both come from the same `caseScope(actor)`
 * rules, so a list can never contain a case its detail page would refuse (test/case-scope.test.ts
 * checks the two agree on generated cases and actors).
 */

type Column = keyof CaseScopeRow;
const column = (table: string, name: Column) => sql.ref(`${table}.${name}`);

/** One rule as a boolean SQL expression over `table` (the twin of `ruleMatches`). */
function ruleToSql(rule: ScopeRule, table: string): RawBuilder<SqlBool> {
  switch (rule.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'street':
      return sql<SqlBool>`${column(table, 'street_code')} = ${rule.code}`;
    case 'committee':
      return sql<SqlBool>`${column(table, 'committee_code')} = ${rule.code}`;
    case 'grid':
      return sql<SqlBool>`${column(table, 'grid_code')} = ${rule.code}`;
    case 'department':
      return sql<SqlBool>`(${column(table, 'lead_department_id')} = ${rule.id} or ${column(table, 'assisting_department_ids')} @> array[${rule.id}::text])`;
    case 'police_station':
      return sql<SqlBool>`(${column(table, 'police_department_id')} = ${rule.id} and ${column(table, 'police_mode')} <> 'none')`;
    case 'reporter':
      return sql<SqlBool>`(${column(table, 'reporter_user_id')} = ${rule.userId} or ${column(table, 'reporter_ids')} @> array[${rule.userId}::text])`;
    case 'assignee':
      return sql<SqlBool>`${column(table, 'assignee_user_id')} = ${rule.userId}`;
  }
}

/**
 * The actor's case scope as one boolean expression over the cases table (or its alias `table`), for a
 * WHERE clause. A null column makes its arm null, which a WHERE clause treats as false — so null columns
 * never match, as in the pure twin. The expression is a plain OR of column comparisons (no `coalesce`,
 * no `= any(array)`): each arm has an index (migrations 0003 and 0012), so one street's cases are an
 * index scan, not a scan of the district (test/read-indexes.test.ts checks the plan on PostgreSQL).
 */
export function caseScopeExpression(actor: Actor, table = 'cases'): RawBuilder<SqlBool> {
  const { rules } = caseScope(actor);
  if (rules.some((r) => r.kind === 'all')) return sql<SqlBool>`true`;
  if (rules.length === 0) return sql<SqlBool>`false`;
  const parts = rules.map((r) => ruleToSql(r, table));
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/**
 * Restricts a select over the cases table to what the actor may see. Use it on every query that lists,
 * counts, searches or exports cases (and on joins that reach cases from events, attachments or
 * notifications); pass the alias when the table is aliased.
 */
export function applyCaseScope<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  actor: Actor,
  table = 'cases',
): SelectQueryBuilder<DB, TB, O> {
  return qb.where(caseScopeExpression(actor, table));
}

import type { TerritoryTables } from './territory.ts';

/** The whole database, composed from each module's tables. Add your module's interface here. */
export interface DB extends TerritoryTables {
  schema_migrations: { name: string; applied_at: Date };
}

import type { BaseInfoTables } from './baseinfo.ts';
import type { CalendarTables } from './calendar.ts';
import type { CaseTables } from './cases.ts';
import type { IdentityTables } from './identity.ts';
import type { PatrolTables } from './patrols.ts';
import type { ImportTables } from './imports.ts';
import type { TerritoryTables } from './territory.ts';
import type { ScreeningTables } from './screening.ts';
import type { WarningTables } from './warnings.ts';
import type { WebhookTables } from './webhooks.ts';
import type { Open311Tables } from './open311.ts';
import type { LimitTables } from './limits.ts';
import type { EvaluationTables } from './evaluation.ts';

/** The whole database, composed from each module's tables. Add your module's interface here. */
export interface DB
  extends
    TerritoryTables,
    IdentityTables,
    CalendarTables,
    CaseTables,
    PatrolTables,
    BaseInfoTables,
    ImportTables,
    WebhookTables,
    Open311Tables,
    WarningTables,
    LimitTables,
    EvaluationTables,
    ScreeningTables {
  schema_migrations: { name: string; applied_at: Date };
}

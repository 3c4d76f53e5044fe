import type { Generated } from 'kysely';

import type { TimeUnit } from '../../core/calendar/deadline.ts';
import type { RegionLevel } from '../../core/geo/region-code.ts';
import type { PoliceLinkage, Urgency } from '../../core/workflow/snapshot.ts';

// declared once in the core, reused here
export type { RegionLevel, TimeUnit };
export type PoliceMode = PoliceLinkage;

export interface RegionsTable {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  geometry: unknown | null;
  centroid_lon: number | null;
  centroid_lat: number | null;
  area_m2: number | null;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  /** Expected patrolled days per week (7 daily, 2 twice a week); null: the patrol policy's default. */
  patrol_days_per_week: number | null;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  type: string;
  level: 'district' | 'street';
  region_code: string;
  phone: string | null;
  active: Generated<boolean>;
}

export interface DepartmentCoverageTable {
  department_id: string;
  region_code: string;
}

export interface CategoriesTable {
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  urgency: Generated<Urgency>;
  handle_amount: number | null;
  handle_unit: TimeUnit | null;
  police_mode: Generated<PoliceMode>;
  stability: Generated<boolean>;
  /** Never on the public page (issue 9 §8): stability/dispute categories and any an admin flags. */
  sensitive: Generated<boolean>;
  sort: Generated<number>;
  active: Generated<boolean>;
}

export interface ResponsibilityMatrixTable {
  id: Generated<number>;
  category_code: string;
  region_code: string;
  lead_department_id: string;
  assisting_department_ids: Generated<string[]>;
  police_mode: PoliceMode | null;
}

export interface AppSettingsTable {
  key: string;
  value: unknown;
  updated_at: Generated<Date>;
}

export interface TerritoryTables {
  app_settings: AppSettingsTable;
  regions: RegionsTable;
  departments: DepartmentsTable;
  department_coverage: DepartmentCoverageTable;
  categories: CategoriesTable;
  responsibility_matrix: ResponsibilityMatrixTable;
}

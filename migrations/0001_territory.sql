-- Territory (DESIGN §3): district → street/town → committee → grid, and the departments (条线) with
-- their coverage, the two-level categories, and the responsibility matrix (权责清单) as data.

create table regions (
  code         text primary key,                 -- 6 / 9 / 12 / 14 digits
  name         text not null,
  level        text not null check (level in ('district', 'street', 'committee', 'grid')),
  parent_code  text references regions (code),
  geometry     jsonb,                            -- GeoJSON Polygon | MultiPolygon, WGS84
  centroid_lon double precision,
  centroid_lat double precision,
  area_m2      double precision,
  synthetic    boolean not null default false,   -- demo geometry is generated, not official
  created_at   timestamptz not null default now(),
  check (
    (level = 'district' and code ~ '^[0-9]{6}$') or
    (level = 'street' and code ~ '^[0-9]{9}$') or
    (level = 'committee' and code ~ '^[0-9]{12}$') or
    (level = 'grid' and code ~ '^[0-9]{14}$')
  )
);
create index regions_parent_idx on regions (parent_code);
create index regions_level_idx on regions (level);

create table departments (
  id          text primary key,                  -- stable slug, e.g. 'police-310112006'
  name        text not null,
  type        text not null check (type in ('police', 'city_management', 'market_regulation', 'housing',
                'health', 'fire', 'ecology', 'planning', 'civil_affairs', 'transport', 'water', 'greening',
                'sanitation', 'emergency', 'other')),
  level       text not null check (level in ('district', 'street')),
  region_code text not null references regions (code),   -- where the department sits
  phone       text,
  active      boolean not null default true
);
create index departments_region_idx on departments (region_code);

-- which territory a department serves (a police station: some committees or streets; a bureau: the district)
create table department_coverage (
  department_id text not null references departments (id) on delete cascade,
  region_code   text not null references regions (code),
  primary key (department_id, region_code)
);
create index department_coverage_region_idx on department_coverage (region_code);

create table categories (
  code               text primary key check (code ~ '^[0-9]{2}([0-9]{2})?$'),  -- 大类 2 digits, 小类 4 digits
  parent_code        text references categories (code),
  name_zh            text not null,
  name_en            text not null,
  urgency            text not null default 'normal' check (urgency in ('normal', 'urgent')),
  handle_amount      integer,                      -- default handling limit (小类 only)
  handle_unit        text check (handle_unit in ('urgent_hour', 'work_hour', 'work_day', 'natural_day')),
  police_mode        text not null default 'none' check (police_mode in ('none', 'notify', 'assist', 'lead')),
  stability          boolean not null default false,  -- stability/dispute information (矛盾纠纷, 不稳定因素)
  sort               integer not null default 0,
  active             boolean not null default true
);

-- 权责清单: category × territory → lead + assisting departments. The most specific row wins
-- (小类 before 大类, grid before committee before street before district).
create table responsibility_matrix (
  id                     serial primary key,
  category_code          text not null references categories (code),
  region_code            text not null references regions (code),
  lead_department_id     text not null references departments (id),
  assisting_department_ids text[] not null default '{}',
  police_mode            text check (police_mode in ('none', 'notify', 'assist', 'lead')),  -- overrides the category's
  unique (category_code, region_code)
);

-- instance-wide settings (e.g. demo mode: demo accounts exist only when this database was seeded as a demo)
create table app_settings (
  key        text primary key,
  value      jsonb not null,
  updated_at timestamptz not null default now()
);

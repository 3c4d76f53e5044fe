import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { actorOfRow } from '../../src/app/identity/user-view.ts';
import { newSessionToken, tokenHash } from '../../src/app/identity/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import type { Actor } from '../../src/core/actor.ts';
import type { Database } from '../../src/db/database.ts';
import { buildTestApp } from './compilers.ts';

/**
 * A small territory for case tests, with real geometry so that reports are located: 古美 (310112006,
 * two committees, one grid each) and 新虹 (310112008, one committee, one grid) side by side in a
 * synthetic district square. Departments, categories and the responsibility matrix mirror the demo's
 * for the categories the tests use.
 */
export const T = {
  district: '310112',
  gumei: '310112006',
  gumeiC1: '310112006001',
  gumeiC2: '310112006002',
  gumeiG1: '31011200600101',
  gumeiG2: '31011200600201',
  xinhong: '310112008',
  xinhongC1: '310112008001',
  xinhongG1: '31011200800101',
  /** A point in 古美 committee 1 / grid 1, one in committee 2, one in 新虹, one outside. */
  inGumeiC1: { lon: 121.385, lat: 31.15 },
  inGumeiC2: { lon: 121.395, lat: 31.15 },
  inXinhong: { lon: 121.41, lat: 31.15 },
  outside: { lon: 120.5, lat: 30.5 },
} as const;

const box = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

const USERS: [string, string, string, 'region' | 'department' | 'none', string | null][] = [
  // username, display name, role, unit kind, unit
  ['patroller.a', '巡管员甲', 'patroller', 'region', T.gumeiG1],
  ['patroller.a2', '巡管员乙', 'patroller', 'region', T.gumeiG2],
  ['coordinator.a1', '协管员甲', 'coordinator', 'region', T.gumeiC1],
  ['station.a1', '工作站甲', 'station_operator', 'region', T.gumeiC1],
  ['dispatcher.a', '古美派遣员', 'dispatcher', 'region', T.gumei],
  ['lead.a', '古美值班长', 'shift_lead', 'region', T.gumei],
  ['dispatcher.b', '新虹派遣员', 'dispatcher', 'region', T.xinhong],
  ['lead.b', '新虹值班长', 'shift_lead', 'region', T.xinhong],
  ['dist.dispatcher', '区派遣员', 'dispatcher', 'region', T.district],
  ['dist.lead', '区值班长', 'shift_lead', 'region', T.district],
  ['leader', '区领导', 'leader', 'region', T.district],
  ['housing.a', '古美房管办处置员', 'dept_handler', 'department', 'housing-310112006'],
  ['chengguan.a', '古美城管处置员', 'dept_handler', 'department', 'chengguan-310112006'],
  ['police.a', '古美社区民警', 'police', 'department', 'police-310112006'],
  ['police.b', '新虹社区民警', 'police', 'department', 'police-310112008'],
  ['greening', '绿化市容处置员', 'dept_handler', 'department', 'dist-greening'],
  ['citizen1', '张三', 'citizen', 'none', null],
  ['citizen2', '李四', 'citizen', 'none', null],
];

export interface TestUser {
  id: string;
  token: string;
  actor: Actor;
  auth: { authorization: string };
}

export async function seedCaseFixture(database: Database): Promise<Map<string, TestUser>> {
  const { db } = database;
  const region = (
    code: string,
    name: string,
    level: 'district' | 'street' | 'committee' | 'grid',
    parent: string | null,
    g: object,
  ) => ({
    code,
    name,
    level,
    parent_code: parent,
    geometry: JSON.stringify(g),
    centroid_lon: null,
    centroid_lat: null,
    area_m2: null,
  });
  await db
    .insertInto('regions')
    .values([
      region(T.district, '闵行区', 'district', null, box(121.3, 31.0, 121.5, 31.2)),
      region(T.gumei, '古美街道', 'street', T.district, box(121.38, 31.14, 121.4, 31.16)),
      region(T.gumeiC1, '古美一居委', 'committee', T.gumei, box(121.38, 31.14, 121.39, 31.16)),
      region(T.gumeiC2, '古美二居委', 'committee', T.gumei, box(121.39, 31.14, 121.4, 31.16)),
      region(T.gumeiG1, '古美一网格', 'grid', T.gumeiC1, box(121.38, 31.14, 121.39, 31.16)),
      region(T.gumeiG2, '古美二网格', 'grid', T.gumeiC2, box(121.39, 31.14, 121.4, 31.16)),
      region(T.xinhong, '新虹街道', 'street', T.district, box(121.4, 31.14, 121.42, 31.16)),
      region(T.xinhongC1, '新虹一居委', 'committee', T.xinhong, box(121.4, 31.14, 121.42, 31.16)),
      region(T.xinhongG1, '新虹一网格', 'grid', T.xinhongC1, box(121.4, 31.14, 121.42, 31.16)),
    ])
    .execute();

  const departments = [
    ...[T.gumei, T.xinhong].flatMap((s) => [
      { id: `police-${s}`, name: `${s}派出所`, type: 'police', level: 'street' as const, region_code: s },
      { id: `housing-${s}`, name: `${s}房管办`, type: 'housing', level: 'street' as const, region_code: s },
      {
        id: `chengguan-${s}`,
        name: `${s}城管中队`,
        type: 'city_management',
        level: 'street' as const,
        region_code: s,
      },
      {
        id: `mediation-${s}`,
        name: `${s}人民调解委员会`,
        type: 'civil_affairs',
        level: 'street' as const,
        region_code: s,
      },
    ]),
    {
      id: 'dist-police',
      name: '闵行公安分局',
      type: 'police',
      level: 'district' as const,
      region_code: T.district,
    },
    {
      id: 'dist-greening',
      name: '区绿化和市容管理局',
      type: 'greening',
      level: 'district' as const,
      region_code: T.district,
    },
    {
      id: 'dist-planning',
      name: '区规划和自然资源局',
      type: 'planning',
      level: 'district' as const,
      region_code: T.district,
    },
  ];
  await db
    .insertInto('departments')
    .values(departments.map((d) => ({ ...d, phone: null })))
    .execute();
  await db
    .insertInto('department_coverage')
    .values(departments.map((d) => ({ department_id: d.id, region_code: d.region_code })))
    .execute();

  const cat = (code: string, zh: string, extra: Record<string, unknown> = {}) => ({
    code,
    parent_code: code.length === 4 ? code.slice(0, 2) : null,
    name_zh: zh,
    name_en: zh,
    ...extra,
  });
  await db
    .insertInto('categories')
    .values([
      cat('01', '房屋管理'),
      cat('0101', '群租', { handle_amount: 5, handle_unit: 'work_day', police_mode: 'assist' }),
      cat('0102', '违法搭建', { handle_amount: 20, handle_unit: 'work_day' }),
      cat('05', '市容环境'),
      cat('0501', '暴露垃圾', { handle_amount: 4, handle_unit: 'work_hour' }),
      cat('06', '社会治安'),
      cat('0601', '治安隐患', { handle_amount: 1, handle_unit: 'work_day', police_mode: 'lead' }),
      cat('0602', '不稳定因素', {
        urgency: 'urgent',
        handle_amount: 2,
        handle_unit: 'urgent_hour',
        police_mode: 'lead',
        stability: true,
      }),
      cat('0603', '矛盾纠纷', {
        handle_amount: 5,
        handle_unit: 'work_day',
        police_mode: 'notify',
        stability: true,
      }),
    ])
    .execute();
  await db
    .insertInto('responsibility_matrix')
    .values(
      [T.gumei, T.xinhong].flatMap((s) => [
        {
          category_code: '0101',
          region_code: s,
          lead_department_id: `housing-${s}`,
          assisting_department_ids: [`police-${s}`],
        },
        {
          category_code: '0102',
          region_code: s,
          lead_department_id: `chengguan-${s}`,
          assisting_department_ids: ['dist-planning'],
        },
        {
          category_code: '0501',
          region_code: s,
          lead_department_id: 'dist-greening',
          assisting_department_ids: [],
        },
        {
          category_code: '0601',
          region_code: s,
          lead_department_id: `police-${s}`,
          assisting_department_ids: [],
        },
        {
          category_code: '0602',
          region_code: s,
          lead_department_id: `police-${s}`,
          assisting_department_ids: [`mediation-${s}`],
        },
        {
          category_code: '0603',
          region_code: s,
          lead_department_id: `mediation-${s}`,
          assisting_department_ids: [],
        },
      ]),
    )
    .execute();

  const rows = await db
    .insertInto('users')
    .values(
      USERS.map(([username, name, role, kind, unit]) => ({
        username,
        display_name: name,
        password_hash: 'not-a-hash',
        role: role as never,
        unit_kind: kind,
        unit_code: kind === 'region' ? unit : null,
        department_id: kind === 'department' ? unit : null,
        phone: `1380000${String(username.length).padStart(4, '0')}`,
      })),
    )
    .returningAll()
    .execute();
  const users = new Map<string, TestUser>();
  for (const row of rows) {
    const token = newSessionToken();
    await db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: row.id,
        created_at: new Date('2020-01-01T00:00:00Z'),
        expires_at: new Date('2099-01-01T00:00:00Z'),
        address: null,
        user_agent: null,
      })
      .execute();
    users.set(row.username, {
      id: row.id,
      token,
      actor: actorOfRow(row),
      auth: { authorization: `Bearer ${token}` },
    });
  }
  return users;
}

/** A clock tests can move. Starts on Wednesday 2026-03-04 10:00 Beijing time. */
export function caseClock(start = '2026-03-04T02:00:00Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (iso: string) => {
      t = new Date(iso).getTime();
    },
  };
}

/** The HTTP server over `database`, with attachments in a fresh temporary folder. */
export async function caseApp(
  database: Database & { url?: string },
  now: () => Date,
  extra: { warningTriggers?: boolean } = {},
): Promise<FastifyInstance> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liandong-cases-'));
  return buildTestApp({
    database,
    config: loadConfig({ DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) }),
    demo: false,
    now,
    ...extra,
  });
}

/** The smallest valid JPEG-looking file (file-type reads the magic bytes). */
export const TINY_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xd9,
]);

/** A multipart/form-data body with one file. */
export function multipartBody(data: Buffer, filename: string, contentType = 'application/octet-stream') {
  const boundary = `----liandong${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

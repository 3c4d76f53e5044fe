/**
 * Property-based fuzzing of the whole HTTP API (issue 9, finding 4): requests are generated from each
 * route's request schemas in `/openapi.json` (path, query, headers, JSON body), mixed with hostile values
 * — NUL, unpaired surrogates, huge and non-finite numbers, impossible dates, very long strings, wrong
 * types, crafted cursors, malformed multipart — and sent as every test role and anonymously through
 * `app.inject`. The property: no answer is 5xx. Used by `test/api-fuzz.test.ts` (short, every CI run) and
 * `scripts/fuzz.ts` (`npm run fuzz -- --runs 10000`).
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import fc from 'fast-check';
import { newSessionToken, tokenHash } from '../../src/app/identity/tokens.ts';
import { actorOfRow } from '../../src/app/identity/user-view.ts';
import { CASE_ACTION_LIST, CASE_SOURCES, CASE_STATE_LIST } from '../../src/core/workflow/index.ts';
import type { Database } from '../../src/db/database.ts';
import { apiClient, ok, performAction, type Schemas } from './api.ts';
import { caseApp, caseClock, multipartBody, seedCaseFixture, T, TINY_JPEG, type TestUser } from './cases.ts';
import { createTestDatabase } from './database.ts';

/** The parts of a JSON Schema (as `/openapi.json` writes them) the request generator reads. */
interface Schema {
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  type?: string | string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
}

/** The parts of the OpenAPI document `operationsOf` reads. */
interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
        requestBody?: { content?: Record<string, { schema?: Schema } | undefined> };
      }
    >
  >;
}

export interface FuzzTarget {
  app: FastifyInstance;
  database: Database;
  users: Map<string, TestUser>;
  /** Real identifiers, so generated requests reach past "not found" into the use cases. */
  known: { caseIds: string[]; caseNos: string[]; attachmentIds: string[]; userIds: string[] };
  close: () => Promise<void>;
}

export interface Operation {
  method: string;
  path: string;
  /** OpenAPI key, e.g. "GET /api/v1/cases/{id}". */
  key: string;
  params: { name: string; in: string; required: boolean; schema: Schema }[];
  body: Schema | null;
}

export interface FuzzRequest {
  op: string;
  who: string;
  inject: InjectOptions;
}

export interface FuzzFailure {
  op: string;
  who: string;
  method: string;
  url: string;
  status: number;
  payload: string;
  body: string;
}

export interface FuzzSummary {
  seed: number;
  requests: number;
  routes: number;
  statuses: Record<number, number>;
  /** Status counts per route (OpenAPI key). */
  byRoute: Record<string, Record<number, number>>;
  failures: FuzzFailure[];
  /** Requests the injector itself refused to build (e.g. an illegal header value): not sent. */
  unsendable: number;
}

export const ANONYMOUS = 'anonymous';
const SOURCES = Object.keys(CASE_SOURCES);
const DEPARTMENTS = [
  'housing-310112006',
  'police-310112006',
  'chengguan-310112008',
  'dist-greening',
  'dist-planning',
];

/** A database, the case fixture (real geometry, categories, matrix, one session per test user), a few cases. */
export async function createFuzzTarget(): Promise<FuzzTarget> {
  const database = await createTestDatabase();
  const users = await seedCaseFixture(database);
  // the case fixture has no administrator or department lead: add them, so admin routes are fuzzed past 403
  for (const [username, role, kind, unit] of [
    ['admin', 'admin', 'region', T.district],
    ['housing.lead', 'dept_lead', 'department', 'housing-310112006'],
  ] as const) {
    const row = await database.db
      .insertInto('users')
      .values({
        username,
        display_name: username,
        password_hash: 'not-a-hash',
        role,
        unit_kind: kind,
        unit_code: kind === 'region' ? unit : null,
        department_id: kind === 'department' ? unit : null,
        phone: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const token = newSessionToken();
    users.set(username, {
      id: row.id,
      token,
      actor: actorOfRow(row),
      auth: { authorization: `Bearer ${token}` },
    });
  }
  await restoreSessions({ database, users });
  const clock = caseClock();
  const app = await caseApp(database, clock.now);
  const as = (name: string) => users.get(name)!.auth;
  const photo = multipartBody(TINY_JPEG, 'photo.jpg');
  const upload = await app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { ...as('patroller.a'), ...photo.headers },
    payload: photo.payload,
  });
  if (upload.statusCode !== 201) throw new Error(`fuzz fixture: upload failed: ${upload.body}`);
  const attachmentIds = [upload.json<Schemas['Attachment']>().id];
  const caseIds: string[] = [];
  const caseNos: string[] = [];
  for (const [who, location, category] of [
    ['patroller.a', T.inGumeiC1, '0101'],
    ['patroller.a', T.inGumeiC2, '0601'],
    ['dispatcher.b', T.inXinhong, '0501'],
  ] as const) {
    const c = ok(
      await apiClient(app, as(who)).POST('/api/v1/cases', {
        body: { category, description: '模糊测试 fuzz', location },
      }),
    ).case;
    caseIds.push(c.id);
    caseNos.push(c.caseNo);
  }
  // one case further along, so actions meet more than one state
  const second = caseIds[1]!;
  const lead = apiClient(app, as('lead.a'));
  for (const action of ['register', 'dispatch'] as const) {
    const { version } = ok(await lead.GET('/api/v1/cases/{id}', { params: { path: { id: second } } }));
    ok(await performAction(lead, second, action, { version }));
  }
  const userIds = [...users.values()].map((u) => u.id);
  return {
    app,
    database,
    users,
    known: { caseIds, caseNos, attachmentIds, userIds },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Every documented operation with its request schemas. */
export async function operationsOf(app: FastifyInstance): Promise<Operation[]> {
  const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        params: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: p.schema ?? {},
        })),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

// ---- hostile values -------------------------------------------------------------------------------
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Strings that have broken servers: NUL, surrogates, dates PostgreSQL refuses, crafted cursors, … */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '\ud800',
  'x\udc00y',
  '\udfff\ud800',
  '\u200b\u200b',
  '\u202e\u0631',
  '🏙️联动',
  '\r\n',
  'x'.repeat(10_000),
  '联'.repeat(3_000),
  "'; drop table cases; --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  'true',
  '[]',
  '{}',
  '1e30',
  '-1e30',
  'Infinity',
  '-Infinity',
  'NaN',
  '-0',
  '0x1F',
  '1.5',
  '-1',
  '0',
  '2147483648',
  '9223372036854775807',
  '99999999999999999999',
  '2026-02-30',
  '2026-13-01',
  '0000-01-01',
  '275760-09-13',
  '2026-02-30T10:00:00Z',
  '2026-03-01T25:61:00+08:00',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00Z',
  '1',
  'infinity',
  '-infinity',
  'epoch',
  b64({ k: '1', id: 'x' }),
  b64({ k: 'infinity', id: '\u0000' }),
  b64({ k: '2026-01-01', id: 1 }),
  b64({ k: '99999-01-01', id: 'x' }),
  b64({ k: '0000-01-01T00:00:00Z', id: 'x' }),
  b64({ k: 'Tue Mar 03 2026', id: 'x' }),
  b64({ k: '-infinity', id: 'x' }),
  b64({ k: '2026-03-04T02:00:00.000Z', id: 'x'.repeat(5000) }),
  b64({ k: null }),
  b64('not json'),
  b64('[]'),
  'not+base64/==',
  '310112-2026-000001',
  '310112-9999-99999999',
  '310112006',
  '31011200600101',
  'dept:police-310112006',
  'police-310112006',
  'none',
];

/** Numbers JSON or a query string can carry that no column can hold. */
const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  -0,
  0.5,
  1e-300,
  1e30,
  -1e30,
  2 ** 31,
  2 ** 53,
  Number.MAX_VALUE,
  2 ** 63, // 9223372036854775807 as JSON writes it
];

/** Markers replaced by raw JSON after serialisation: numbers JSON.stringify cannot write. */
const RAW: Record<string, string> = Object.fromEntries(
  ['1e400', '-1e400', '9223372036854775807', '-9223372036854775808', '1.0e+30'].map((raw) => [
    raw,
    `"\u2063RAW:${raw}"`,
  ]),
);

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(RAW).map((k) => `\u2063RAW:${k}`)) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '\u0000': 1 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Field names the workflow actions read from their free-form payload. */
const ACTION_FIELDS = [
  'reason',
  'category',
  'leadDepartmentId',
  'assistingDepartmentIds',
  'patrollerId',
  'photos',
  'afterPhotos',
  'requestedDueAt',
  'dueAt',
  'masterCaseId',
  'passed',
  'satisfaction',
  'feedback',
  'result',
  'text',
  'note',
  'departmentId',
  'userId',
  'urgency',
];

// ---- arbitraries from JSON schemas ------------------------------------------------------------------
const dateKeyArb = fc
  .date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-06-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instantArb = fc
  .date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-06-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Values that mean something to the use cases, by field name: they get requests past "unknown value". */
const NAMED: Record<string, (known: Known) => fc.Arbitrary<unknown>> = {
  state: () => fc.array(fc.constantFrom(...CASE_STATE_LIST), { minLength: 1, maxLength: 3 }),
  source: () => fc.constantFrom(...SOURCES),
  department: () => fc.constantFrom(...DEPARTMENTS),
  leadDepartmentId: () => fc.constantFrom(...DEPARTMENTS),
  assistingDepartmentIds: () => fc.array(fc.constantFrom(...DEPARTMENTS), { maxLength: 2 }),
  departmentId: () => fc.constantFrom(...DEPARTMENTS),
  text: () => fc.constantFrom('群租', '模糊', '310112', 'fuzz'),
  caseId: (k) => fc.constantFrom(...k.strings),
  masterCaseId: (k) => fc.constantFrom(...k.strings),
  patrollerId: (k) => fc.constantFrom(...k.strings),
  photos: (k) => fc.array(fc.constantFrom(...k.attachments), { maxLength: 1 }),
  afterPhotos: (k) => fc.array(fc.constantFrom(...k.attachments), { minLength: 1, maxLength: 1 }),
  'idempotency-key': () => fc.uuid(),
  street: () => fc.constantFrom(T.gumei, T.xinhong),
  committee: () => fc.constantFrom(T.gumeiC1, T.gumeiC2, T.xinhongC1),
  grid: () => fc.constantFrom(T.gumeiG1, T.gumeiG2, T.xinhongG1),
  within: () => fc.constantFrom(T.district, T.gumei),
  region: () => fc.constantFrom(T.district, T.gumei),
  unit: () => fc.constantFrom(T.district, T.gumei, T.gumeiG1, 'dept:housing-310112006', 'none'),
  category: () => fc.constantFrom('01', '0101', '0102', '0501', '0601', '0602', '0603'),
  location: () => fc.constantFrom(T.inGumeiC1, T.inGumeiC2, T.inXinhong, T.outside),
  from: () => dateKeyArb,
  to: () => dateKeyArb,
  start: () =>
    fc.oneof(
      instantArb,
      dateKeyArb.map((d) => `${d}T09:30:00`),
    ),
  requestedDueAt: () => instantArb,
  dueAt: () => instantArb,
  version: () => fc.integer({ min: 1, max: 6 }),
  segments: () =>
    fc.constantFrom(
      [{ start: '09:00', end: '12:00' }],
      [
        { start: '08:30', end: '11:30' },
        { start: '13:00', end: '17:30' },
      ],
    ),
  confirmedYears: () => fc.array(fc.integer({ min: 2024, max: 2028 }), { maxLength: 2 }),
  kind: () => fc.constantFrom('workday', 'holiday'),
  action: () => fc.constantFrom('auth.login', 'case.register', 'user.create'),
  actorId: (k) => fc.constantFrom(...k.strings),
};
interface Known {
  strings: string[];
  attachments: string[];
  /** Relative weight of a hostile value at each node (0: schema-valid requests only). */
  hostile: number;
}

function validFrom(schema: Schema, known: Known, depth: number, name?: string): fc.Arbitrary<unknown> {
  const named = name === undefined ? undefined : NAMED[name];
  if (named)
    return fc.oneof(
      { weight: 3, arbitrary: named(known) },
      { weight: 1, arbitrary: plainFrom(schema, known, depth) },
    );
  return plainFrom(schema, known, depth);
}

function plainFrom(schema: Schema, known: Known, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => valueFrom(s, known, depth, undefined)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 60, 60);
      const options: fc.Arbitrary<string>[] = [
        fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme' }),
      ];
      if (schema.pattern) options.push(fc.stringMatching(new RegExp(schema.pattern)));
      if (schema.format === 'date-time')
        options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      if (known.strings.length) options.push(fc.constantFrom(...known.strings));
      return fc.oneof(...options);
    }
    case 'integer': {
      const min = Math.max(schema.minimum ?? -1000, -(2 ** 31));
      const max = Math.min(schema.maximum ?? Math.max(min + 1000, 1000), 2 ** 31 - 1);
      // small values mostly (a case version, a page size), the whole range sometimes
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 5) }), fc.integer({ min, max }));
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? valueFrom(schema.items, known, depth + 1) : hostileValue;
      return fc.array(items, {
        minLength: Math.min(schema.minItems ?? 0, 4),
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set<string>(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, s] of Object.entries(properties)) model[name] = valueFrom(s, known, depth + 1, name);
      const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
      if (schema.additionalProperties === false || depth > 3) return record;
      // open objects (a workflow action's payload): the fields the use cases read, valid-ish or hostile
      const extra = fc.dictionary(
        known.hostile
          ? fc.oneof(fc.constantFrom(...ACTION_FIELDS), hostileString)
          : fc.constantFrom(...ACTION_FIELDS),
        fc.oneof(
          fc.constantFrom<unknown>(...known.strings),
          fc.constantFrom(...CASE_ACTION_LIST),
          fc.constantFrom<unknown>(true, false, 'normal', 'urgent', 'invalid', 'other', '群租 处置完毕'),
          known.hostile ? hostileValue : fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }),
          fc.array(fc.constantFrom(...known.strings), { maxLength: 3 }),
        ),
        { maxKeys: 4 },
      );
      return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
    }
    default:
      return fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileValue);
  }
}

/** A value for `schema`: mostly valid, sometimes hostile (wrong type, NUL, huge, impossible). */
function valueFrom(schema: Schema, known: Known, depth = 0, name?: string): fc.Arbitrary<unknown> {
  if (known.hostile === 0) return validFrom(schema, known, depth, name);
  return fc.oneof(
    { weight: 6, arbitrary: validFrom(schema, known, depth, name) },
    { weight: known.hostile, arbitrary: hostileValue },
  );
}

// ---- requests -----------------------------------------------------------------------------------
/** Percent-encodes every UTF-16 unit, unpaired surrogates included (as their WTF-8 bytes). */
export function encodeLoose(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** JSON text with the RAW markers turned into literals JSON.stringify cannot produce (1e400). */
function jsonText(value: unknown): string {
  let text = JSON.stringify(value) ?? 'null';
  for (const [raw, marker] of Object.entries(RAW)) text = text.split(marker).join(raw);
  return text;
}

const MALFORMED_BODIES: readonly { type: string; body: string | Buffer }[] = [
  { type: 'application/json', body: '{"a":' },
  { type: 'application/json', body: '{"username":"\\ud800","password":"x","version":1}' },
  { type: 'application/json', body: '{"version":1e400,"reason":"\\u0000"}' },
  { type: 'application/json', body: '{"__proto__":{"x":1},"version":1}' },
  { type: 'application/json', body: '['.repeat(5000) + ']'.repeat(5000) },
  { type: 'application/json', body: '"just a string"' },
  { type: 'application/json', body: '' },
  { type: 'text/plain', body: 'hello' },
  { type: 'application/x-www-form-urlencoded', body: 'a=1&b=%00' },
  { type: 'multipart/form-data', body: '--x\r\n' },
  { type: 'application/json; charset=utf-16', body: '{}' },
];

/** Multipart uploads: good, with hostile names, without a boundary, truncated, with too many parts. */
function multipartArb(): fc.Arbitrary<{ headers: Record<string, string>; payload: Buffer | string }> {
  const good = (name: string) => multipartBody(TINY_JPEG, name, 'image/jpeg');
  return fc.oneof(
    fc.oneof(fc.constant('photo.jpg'), hostileString).map((name) => good(name)),
    hostileString.map((field) => {
      const m = good('a.jpg');
      const text = m.payload.toString('latin1').replace('name="file"', `name="${field}"`);
      return { headers: m.headers, payload: Buffer.from(text, 'utf8') };
    }),
    fc.constant({ headers: { 'content-type': 'multipart/form-data' }, payload: good('a.jpg').payload }),
    fc.integer({ min: 1, max: 200 }).map((cut) => {
      const m = good('a.jpg');
      return { headers: m.headers, payload: m.payload.subarray(0, Math.max(0, m.payload.length - cut)) };
    }),
    fc.constant({
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nabc',
    }),
    fc.constant({
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: `${'--x\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n'.repeat(10)}--x--\r\n`,
    }),
    fc.constant({ headers: { 'content-type': 'multipart/form-data; boundary=' }, payload: '' }),
    fc.constant({ headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: 'garbage' }),
  );
}

/** Path parameter values: schema-valid, known identifiers, or hostile. */
function paramArb(schema: Schema, name: string, target: FuzzTarget, hostile: number): fc.Arbitrary<string> {
  const k = target.known;
  const known =
    name === 'action'
      ? [...CASE_ACTION_LIST]
      : name === 'date'
        ? ['2026-03-05', '2026-10-01', '2027-02-10']
        : name === 'caseNo'
          ? k.caseNos
          : name === 'code'
            ? [T.district, T.gumei, T.gumeiC1, T.gumeiG1]
            : [...k.caseIds, ...k.caseNos, ...k.attachmentIds, ...k.userIds, '1', '999999999999999'];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: validFrom(schema, { strings: [], attachments: [], hostile: 0 }, 0).map(asText) },
    { weight: 2 * hostile, arbitrary: hostileString },
  );
}

/** One generated request for `op` as `who`. */
export function requestArb(op: Operation, target: FuzzTarget, who: string[]): fc.Arbitrary<FuzzRequest> {
  // schema-valid requests reach the use cases; hostile ones test the edge
  return fc.oneof(
    { weight: 2, arbitrary: requestArbOf(op, target, who, 0) },
    { weight: 3, arbitrary: requestArbOf(op, target, who, 1) },
  );
}

function requestArbOf(
  op: Operation,
  target: FuzzTarget,
  who: string[],
  hostile: number,
): fc.Arbitrary<FuzzRequest> {
  const k = target.known;
  const known: Known = {
    hostile,
    attachments: k.attachmentIds.length ? k.attachmentIds : ['none'],
    strings: [
      ...k.caseIds,
      ...k.caseNos,
      ...k.attachmentIds,
      ...k.userIds,
      'police-310112006',
      'housing-310112006',
      'dist-planning',
      '0101',
      '0601',
      '2026-03-05T10:00:00+08:00',
    ],
  };
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');

  const pathArb = fc.tuple(...pathParams.map((p) => paramArb(p.schema, p.name, target, hostile)));
  const queryArb = fc.tuple(
    ...queryParams.map((p) => {
      const value = fc.oneof(
        { weight: 3, arbitrary: validFrom(p.schema, known, 1, p.name) },
        { weight: 2 * hostile, arbitrary: hostileValue },
      );
      return p.required ? value : fc.option(value, { freq: 2 });
    }),
  );
  const headerArb = fc.tuple(
    ...headerParams.map((p) =>
      fc.option(
        hostile
          ? fc.oneof(validFrom(p.schema, known, 1, p.name), hostileString)
          : validFrom(p.schema, known, 1, p.name),
        {
          freq: 2,
        },
      ),
    ),
  );
  const isUpload = op.key === 'POST /api/v1/attachments';
  const bodyArb: fc.Arbitrary<{ headers: Record<string, string>; payload: string | Buffer } | null> = isUpload
    ? hostile
      ? multipartArb()
      : fc.constant(multipartBody(TINY_JPEG, 'photo.jpg', 'image/jpeg'))
    : fc.oneof(
        {
          weight: 8,
          arbitrary: (op.body ? valueFrom(op.body, known) : fc.constant(undefined)).map((v) =>
            v === undefined
              ? null
              : { headers: { 'content-type': 'application/json' }, payload: jsonText(v) },
          ),
        },
        {
          weight: op.method === 'GET' ? 0 : 2 * hostile,
          arbitrary: fc
            .constantFrom(...MALFORMED_BODIES)
            .map((m) => ({ headers: { 'content-type': m.type }, payload: m.body })),
        },
      );
  // SSE streams never end under inject: only refusals (anonymous, bad tokens) are fuzzed there
  const callers = op.key === 'GET /api/v1/events' ? [ANONYMOUS] : who;
  const authArb = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(...callers).map((w) => ({ who: w, headers: {} as Record<string, string> })),
    },
    {
      weight: hostile,
      arbitrary: hostileString.map((s) => ({
        who: 'hostile-token',
        headers: { authorization: `Bearer ${s || 'x'}`, cookie: `ld_session=${encodeLoose(s)}` },
      })),
    },
  );
  return fc
    .record({
      path: pathArb,
      query: queryArb,
      header: headerArb,
      body: bodyArb,
      auth: authArb,
      address: fc.tuple(fc.nat(255), fc.nat(255)),
    })
    .map(({ path, query, header, body, auth, address }) => {
      let url = op.path;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeLoose(path[i]!));
      });
      const search: string[] = [];
      queryParams.forEach((p, i) => {
        const v = query[i];
        if (v === null || v === undefined) return;
        for (const item of Array.isArray(v) && p.schema.type === 'array' ? v : [v])
          search.push(`${encodeURIComponent(p.name)}=${encodeLoose(asText(item))}`);
      });
      if (search.length) url += `?${search.join('&')}`;
      const headers: Record<string, string> = { ...auth.headers, ...(body?.headers ?? {}) };
      headerParams.forEach((p, i) => {
        const v = header[i];
        if (v !== null && v !== undefined) headers[p.name] = asText(v);
      });
      const user = target.users.get(auth.who);
      if (user) Object.assign(headers, user.auth);
      const inject: InjectOptions = {
        method: op.method as InjectOptions['method'],
        url,
        headers,
        remoteAddress: `10.77.${address[0]}.${address[1]}`,
        ...(body ? { payload: body.payload } : {}),
      };
      return { op: op.key, who: auth.who, inject };
    });
}

/** Sessions a request may have ended (logout, password change, disable, sign-out of sessions): minted again afterwards. */
async function restoreSessions(target: Pick<FuzzTarget, 'database' | 'users'>): Promise<void> {
  const { db } = target.database;
  for (const user of target.users.values()) {
    const hash = tokenHash(user.token);
    const row = await db
      .selectFrom('sessions')
      .select('token_hash')
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (!row) {
      await db
        .insertInto('sessions')
        .values({
          token_hash: hash,
          user_id: user.id,
          created_at: new Date('2020-01-01T00:00:00Z'),
          expires_at: new Date('2099-01-01T00:00:00Z'),
          address: null,
          user_agent: null,
        })
        .execute();
    }
  }
  await db
    .updateTable('users')
    // a generated admin reset would hold the user at the password-change gate (403) for the rest of the run
    .set({ disabled: false, must_change_password: false })
    .where(
      'id',
      'in',
      [...target.users.values()].map((u) => u.id),
    )
    .execute();
}

/**
 * Sends `runs` generated requests spread evenly over every documented route (deterministic for a seed)
 * and collects the status codes; every 5xx is a failure with the request that caused it.
 */
export async function runFuzz(
  target: FuzzTarget,
  options: { runs: number; seed?: number; onProgress?: (done: number) => void },
): Promise<FuzzSummary> {
  const seed = options.seed ?? 20260901;
  const ops = await operationsOf(target.app);
  const who = [...target.users.keys(), ANONYMOUS];
  const perOp = Math.max(1, Math.ceil(options.runs / ops.length));
  const batches = ops.map((op, i) =>
    fc.sample(requestArb(op, target, who), { numRuns: perOp, seed: seed + i }),
  );
  const summary: FuzzSummary = {
    seed,
    requests: 0,
    routes: ops.length,
    statuses: {},
    byRoute: {},
    failures: [],
    unsendable: 0,
  };
  for (let round = 0; round < perOp && summary.requests < options.runs; round++) {
    for (const batch of batches) {
      const request = batch[round];
      if (!request || summary.requests >= options.runs) continue;
      let status: number;
      let body = '';
      try {
        const res = await target.app.inject(request.inject);
        status = res.statusCode;
        if (status >= 500) body = res.body.slice(0, 300);
      } catch {
        summary.unsendable += 1;
        continue;
      }
      summary.requests += 1;
      summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
      const route = (summary.byRoute[request.op] ??= {});
      route[status] = (route[status] ?? 0) + 1;
      if (status >= 500) {
        const payload = request.inject.payload;
        summary.failures.push({
          op: request.op,
          who: request.who,
          method: String(request.inject.method),
          url: String(request.inject.url).slice(0, 300),
          status,
          payload: (Buffer.isBuffer(payload) ? payload.toString('latin1') : String(payload ?? '')).slice(
            0,
            300,
          ),
          body,
        });
      }
      if (request.inject.method !== 'GET' && /\/(auth|me|users)\b/.test(String(request.inject.url)))
        await restoreSessions(target);
      options.onProgress?.(summary.requests);
    }
  }
  return summary;
}

/** A one-paragraph account of a run. */
export function describeSummary(s: FuzzSummary): string {
  const statuses = Object.entries(s.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
  const fivexx = Object.entries(s.statuses)
    .filter(([code]) => Number(code) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  return `fuzz seed ${s.seed}: ${s.requests} requests over ${s.routes} routes (${s.unsendable} unsendable); statuses ${statuses}; 5xx = ${fivexx}`;
}

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { newSessionToken, tokenHash } from '../../src/app/identity/tokens.ts';
import { actorOfRow } from '../../src/app/identity/user-view.ts';
import type { Database } from '../../src/db/database.ts';
import {
  apiClient,
  ok,
  performAction,
  type ActionBody,
  type Api,
  type Schemas,
  type TransitionAction,
} from './api.ts';
import { caseApp, caseClock, multipartBody, seedCaseFixture, TINY_JPEG, type TestUser } from './cases.ts';
import { createTestDatabase } from './database.ts';

/** An action's payload: its published body without the case `version` the harness fills in. */
export type ActionPayload<A extends TransitionAction> = Omit<ActionBody<A>, 'version'>;

/**
 * One test file's API world: a migrated database (PGlite or the server, see `database.ts`), the seeded
 * users with a session each, and the HTTP app on a clock the test moves. Every answer is read through
 * the typed client (`api`), so a field the contract does not declare is a type error in the test.
 * `raw` is for the few requests the typed client would refuse to build (malformed bodies and paths).
 */
export interface CaseApi {
  readonly database: Database & { url?: string };
  readonly app: FastifyInstance;
  readonly users: Map<string, TestUser>;
  readonly clock: ReturnType<typeof caseClock>;
  /** The user's Authorization header. */
  as(who: string): { authorization: string };
  /** The typed client, signed in as `who` (anonymous for null). */
  api(who: string | null): Api;
  /** An untyped request for what the contract refuses by design (malformed input); answers are not read as JSON types. */
  raw(who: string | null, request: InjectOptions): Promise<LightMyRequestResponse>;
  /** POST /api/v1/cases, expecting 201. */
  report(who: string, body: Schemas['CreateCaseBody']): Promise<Schemas['CreateCaseResult']>;
  /** GET /api/v1/cases/{id}, expecting 200. */
  detail(who: string, id: string): Promise<Schemas['CaseDetail']>;
  /** An action at the case's current version (read by `who`, or by `reader`), whatever the answer. */
  act<A extends TransitionAction>(
    who: string,
    id: string,
    action: A,
    payload?: ActionPayload<A>,
    reader?: string,
  ): ReturnType<typeof performAction<A>>;
  /** An action at the case's current version, expecting 200. */
  step<A extends TransitionAction>(
    who: string,
    id: string,
    action: A,
    payload?: ActionPayload<A>,
    reader?: string,
  ): Promise<Schemas['CaseActionResult']>;
  /** POST /api/v1/attachments with one file (a tiny JPEG by default), whatever the answer. */
  upload(who: string, data?: Buffer, filename?: string): Promise<Upload>;
}

/** An upload's answer: the attachment on 201, the problem otherwise. */
export interface Upload {
  status: number;
  body: string;
  data?: Schemas['Attachment'];
  error?: Schemas['Problem'];
}

export interface CaseApiOptions {
  /** The clock the app runs on (default: `caseClock()`, Wednesday 2026-03-04 10:00 in Shanghai). */
  clock?: ReturnType<typeof caseClock>;
  /** Seeds the database and returns its users with sessions (default: the small case territory). */
  seed?: (database: Database) => Promise<Map<string, TestUser>>;
  /** Runs after seeding, before the app starts (e.g. to reshape the territory). */
  prepare?: (database: Database) => Promise<void>;
}

/**
 * Sets up a `CaseApi` for the enclosing `describe` (beforeAll/afterAll) and returns it; its fields are
 * readable inside tests and hooks that run after the setup.
 */
export function useCaseApi(options: CaseApiOptions = {}): CaseApi {
  const clock = options.clock ?? caseClock();
  let database: (Database & { url?: string }) | undefined;
  let app: FastifyInstance | undefined;
  let users: Map<string, TestUser> | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useCaseApi: ${what} is read before beforeAll ran`);
    return value;
  };
  const as = (who: string) => {
    const user = ready(users, 'users').get(who);
    if (!user) throw new Error(`useCaseApi: no test user ${who}`);
    return user.auth;
  };
  const api = (who: string | null) => apiClient(ready(app, 'app'), who ? as(who) : {});
  const detail = async (who: string, id: string) =>
    ok(await api(who).GET('/api/v1/cases/{id}', { params: { path: { id } } }));
  const act = async <A extends TransitionAction>(
    who: string,
    id: string,
    action: A,
    payload: ActionPayload<A> = {} as ActionPayload<A>,
    reader = who,
  ) => {
    const { version } = await detail(reader, id);
    return performAction(api(who), id, action, { ...payload, version } as ActionBody<A>);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await (options.seed ?? seedCaseFixture)(database);
    await options.prepare?.(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  return {
    get database() {
      return ready(database, 'database');
    },
    get app() {
      return ready(app, 'app');
    },
    get users() {
      return ready(users, 'users');
    },
    clock,
    as,
    api,
    raw: (who, request) =>
      ready(app, 'app').inject({
        ...request,
        headers: { ...(who ? as(who) : {}), ...(request.headers ?? {}) },
      }),
    report: async (who, body) => {
      const res = await api(who).POST('/api/v1/cases', { body });
      expect(res.response.status, `${who} reports: ${JSON.stringify(res.error)}`).toBe(201);
      return ok(res);
    },
    detail,
    act,
    step: async (who, id, action, payload, reader) => {
      const res = await act(who, id, action, payload, reader);
      expect(res.response.status, `${who} ${action}: ${JSON.stringify(res.error)}`).toBe(200);
      return ok(res);
    },
    upload: async (who, data = TINY_JPEG, filename = 'photo.jpg') => {
      // multipart: the typed client has no body type for it, so the answer is typed here by status
      const body = multipartBody(data, filename);
      const res = await ready(app, 'app').inject({
        method: 'POST',
        url: '/api/v1/attachments',
        headers: { ...as(who), ...body.headers },
        payload: body.payload,
      });
      return res.statusCode === 201
        ? { status: res.statusCode, body: res.body, data: res.json<Schemas['Attachment']>() }
        : { status: res.statusCode, body: res.body, error: res.json<Schemas['Problem']>() };
    },
  };
}

/** A session for every user in the database (for fixtures seeded otherwise, e.g. the demo slice). */
export async function sessionsForAllUsers(database: Database, now: Date): Promise<Map<string, TestUser>> {
  const rows = await database.db.selectFrom('users').selectAll().orderBy('username').execute();
  const users = new Map<string, TestUser>();
  for (const row of rows) {
    const token = newSessionToken();
    await database.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: row.id,
        created_at: now,
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

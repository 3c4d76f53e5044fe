import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call, client, setCsrfToken, setUnauthenticatedHandler } from './api/client';
import type { Category, Department, Me, RegionSummary } from './api/models';

interface SessionValue {
  /** undefined while the first /me probe runs; null when signed out. */
  me: Me | null | undefined;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const result = await call(client.GET('/api/v1/me'), { quiet401: true });
      if (result.csrfToken) setCsrfToken(result.csrfToken);
      setMe(result.user);
    } catch {
      // 401 (signed out) or the server is unreachable: show the login page, which reports errors itself
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => setMe(null));
    return () => setUnauthenticatedHandler(undefined);
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const result = await call(client.POST('/api/v1/auth/login', { body: { username, password } }), {
      quiet401: true,
    });
    setCsrfToken(result.csrfToken);
    setMe(result.user);
    return result.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await call(client.POST('/api/v1/auth/logout'), { quiet401: true });
    } finally {
      setCsrfToken(undefined);
      setMe(null);
    }
  }, []);

  const value = useMemo(() => ({ me, login, logout, refresh }), [me, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** Signed-in user; only call inside pages rendered behind the login gate. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}

// ---- reference data (categories, departments, streets): loaded once, shared by every page ----

export interface Reference {
  categories: Category[];
  departments: Department[];
  streets: RegionSummary[];
  categoryByCode: Map<string, Category>;
  departmentById: Map<string, Department>;
  /** Names of streets and committees by code. */
  regionName: Map<string, string>;
}

let referencePromise: Promise<Reference> | null = null;

export function loadReference(): Promise<Reference> {
  referencePromise ??= Promise.all([
    call(client.GET('/api/v1/categories'), { quiet401: true }),
    call(client.GET('/api/v1/departments'), { quiet401: true }),
    call(client.GET('/api/v1/regions', { params: { query: { level: 'street' } } }), { quiet401: true }),
    call(client.GET('/api/v1/regions', { params: { query: { level: 'committee' } } }), { quiet401: true }),
  ]).then(([c, d, s, cm]) => ({
    categories: c.items,
    departments: d.items,
    // openapi-fetch reads tuples ([lon, lat]) as arrays: the contract's type says what they are
    streets: s.items as RegionSummary[],
    categoryByCode: new Map(c.items.map((x) => [x.code, x])),
    departmentById: new Map(d.items.map((x) => [x.id, x])),
    regionName: new Map([...s.items, ...cm.items].map((x) => [x.code, x.name])),
  }));
  referencePromise.catch(() => {
    referencePromise = null; // try again next time
  });
  return referencePromise;
}

export function useReference(): Reference | undefined {
  const [ref, setRef] = useState<Reference | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    loadReference()
      .then((r) => alive && setRef(r))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return ref;
}

/** Committees of a street, cached per street. */
const committeeCache = new Map<string, Promise<RegionSummary[]>>();
export function loadCommittees(streetCode: string): Promise<RegionSummary[]> {
  let p = committeeCache.get(streetCode);
  if (!p) {
    p = call(
      client.GET('/api/v1/regions', { params: { query: { level: 'committee', parent: streetCode } } }),
    ).then((r) => r.items as RegionSummary[]);
    committeeCache.set(streetCode, p);
    p.catch(() => committeeCache.delete(streetCode));
  }
  return p;
}

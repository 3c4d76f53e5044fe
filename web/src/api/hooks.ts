import { useCallback, useEffect, useRef, useState } from 'react';
import { request, type RequestOptions } from './client';

export interface Loadable<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; `silent` keeps the current data on screen (live refresh). */
  reload: (silent?: boolean) => void;
  setData: (data: T) => void;
}

/**
 * Loads `path` (GET) whenever it changes; `null` loads nothing. Stale answers of earlier paths are
 * dropped, so quickly changing filters never shows an older list.
 */
export function useApi<T>(path: string | null, options?: Pick<RequestOptions, 'quiet401'>): Loadable<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState<boolean>(path !== null);
  const [tick, setTick] = useState(0);
  const silentRef = useRef(false);
  const quiet401 = options?.quiet401 ?? false;

  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    if (!silentRef.current) setLoading(true);
    silentRef.current = false;
    request<T>(path, { signal: controller.signal, quiet401 })
      .then((result) => {
        setData(result);
        setError(undefined);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setError(e);
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, tick, quiet401]);

  const reload = useCallback((silent = false) => {
    silentRef.current = silent;
    setTick((n) => n + 1);
  }, []);
  return { data, error, loading, reload, setData };
}

/** Calls `fn` at most once per `ms` (trailing), e.g. to coalesce a burst of live events into one reload. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      fnRef.current();
    }, ms);
  }, [ms]);
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { call, type CallOptions, type CallResult } from './client';

export interface Loadable<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; `silent` keeps the current data on screen (live refresh). */
  reload: (silent?: boolean) => void;
  setData: (data: T) => void;
}

/**
 * Loads a typed client call whenever `key` changes; a `null` key loads nothing. The key names what is
 * loaded (usually the path with its parameters): `load` is called again only when it changes, and stale
 * answers of earlier keys are dropped, so quickly changing filters never show an older list.
 *
 *     const detail = useCall(`case ${id}`, (signal) =>
 *       client.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }));
 */
export function useCall<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<CallResult<T>>,
  options?: CallOptions,
): Loadable<T> {
  const quiet401 = options?.quiet401 ?? false;
  return useLoad<T>(key, (signal) => call(load(signal), { quiet401 }), quiet401);
}

function useLoad<T>(
  key: string | null,
  fetcher: (signal: AbortSignal) => Promise<T>,
  quiet401: boolean,
): Loadable<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState<boolean>(key !== null);
  const [tick, setTick] = useState(0);
  const silentRef = useRef(false);
  // the latest fetcher: it closes over the values the key names, so it need not be a dependency
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    if (key === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    if (!silentRef.current) setLoading(true);
    silentRef.current = false;
    fetcherRef
      .current(controller.signal)
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
  }, [key, tick, quiet401]);

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

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

/** One message from `GET /api/v1/events` (server-sent events). */
export interface LiveEvent {
  type: string;
  caseId?: string;
  [key: string]: unknown;
}

type Listener = (event: LiveEvent) => void;

interface LiveValue {
  connected: boolean;
  subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<LiveValue | null>(null);

// Named SSE events the server may send; unnamed messages arrive through onmessage.
const EVENT_NAMES = [
  'case',
  'case.created',
  'case.updated',
  'case.changed',
  'notification',
  'warning',
  'ping',
];

/** Keeps one EventSource per signed-in console; reconnects with back-off when the stream drops. */
export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let delay = 1000;
    let closed = false;

    const dispatch = (name: string, raw: string) => {
      let data: unknown;
      try {
        data = raw ? JSON.parse(raw) : undefined;
      } catch {
        data = undefined;
      }
      const event: LiveEvent =
        data && typeof data === 'object'
          ? { type: name, ...(data as Record<string, unknown>) }
          : { type: name };
      if (event.type === 'ping') return;
      for (const l of listeners.current) l(event);
    };

    const open = () => {
      source = new EventSource('/api/v1/events', { withCredentials: true });
      source.onopen = () => {
        delay = 1000;
        setConnected(true);
      };
      source.onmessage = (e) => dispatch('message', e.data as string);
      for (const name of EVENT_NAMES)
        source.addEventListener(name, (e) => dispatch(name, (e as MessageEvent).data as string));
      source.onerror = () => {
        setConnected(false);
        source?.close();
        if (closed) return;
        retry = setTimeout(open, delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    open();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
      setConnected(false);
    };
  }, [enabled]);

  const value = useRef<LiveValue>({
    connected: false,
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  });
  return <LiveContext.Provider value={{ ...value.current, connected }}>{children}</LiveContext.Provider>;
}

/** Calls `onEvent` for every live event while the component is mounted. */
export function useLiveEvents(onEvent: Listener): boolean {
  const live = useContext(LiveContext);
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => live?.subscribe((e) => ref.current(e)), [live?.subscribe]);
  return live?.connected ?? false;
}

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { zh } from './zh';

export type MessageKey = keyof typeof zh;
export type Lang = 'zh' | 'en';
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

// Typed here so a key missing from English fails the type check; test/web-i18n.test.ts checks the other
// direction (no key only in English).
const dictionaries: Record<Lang, Record<MessageKey, string>> = { zh, en };

const STORAGE_KEY = 'liandong.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage may be unavailable (private mode); Chinese is the default
  }
  return 'zh';
}

/** Replaces `{name}` placeholders. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function hasMessage(key: string): key is MessageKey {
  return key in zh;
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Picks the Chinese or English variant of a server-provided pair (e.g. category nameZh/nameEn). */
  pick: (zhText: string, enText: string | null | undefined) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; still switched for this page
    }
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18nValue>(() => {
    const dict = dictionaries[lang];
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    return {
      lang,
      setLang,
      t: (key, params) => format(dict[key], params),
      pick: (zhText, enText) => (lang === 'en' && enText ? enText : zhText),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

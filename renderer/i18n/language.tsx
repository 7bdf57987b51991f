/**
 * The console's language at run time: a React context with the current language, a
 * setter, and `useText` for a feature's messages. The choice is remembered per user on this
 * console (and follows the user's saved preference when the station has one); `<html lang>`
 * always matches, so screen readers and CJK font selection follow.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isLang, langTag, translator, type Lang, type MessageSet, type Translate } from './i18n.js';

interface LanguageState {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
}

const LanguageContext = createContext<LanguageState>({ lang: 'en', setLang: () => undefined });

const storageKey = (user: string | null): string => `argus.lang.${user ?? '-'}`;

function readStored(user: string | null): Lang | null {
  try {
    const v = window.localStorage.getItem(storageKey(user));
    return isLang(v) ? v : null;
  } catch {
    return null; // storage refused (private window, quota): fall back to the browser's language
  }
}

function browserLanguage(): Lang {
  return typeof navigator !== 'undefined' && /^zh\b/i.test(navigator.language) ? 'zh' : 'en';
}

/** `user` is the signed-in user's name (null before sign-in: the console's last language). */
export function LanguageProvider({ user, children }: { user: string | null; children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => readStored(user) ?? readStored(null) ?? browserLanguage());
  // A different user signs in (shift handover): their language, else keep the current one.
  useEffect(() => {
    const stored = readStored(user);
    if (stored) setLangState(stored);
  }, [user]);
  useEffect(() => {
    document.documentElement.lang = langTag(lang);
  }, [lang]);
  const setLang = useCallback(
    (next: Lang) => {
      setLangState(next);
      try {
        window.localStorage.setItem(storageKey(user), next);
        window.localStorage.setItem(storageKey(null), next);
      } catch {
        // Not remembered, but switched: the operator still reads the console in their language.
      }
    },
    [user],
  );
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LanguageContext value={value}>{children}</LanguageContext>;
}

export function useLang(): Lang {
  return useContext(LanguageContext).lang;
}

export function useSetLang(): (lang: Lang) => void {
  return useContext(LanguageContext).setLang;
}

/** A feature's texts in the current language; re-renders the caller when the language changes. */
export function useText<K extends string>(set: MessageSet<K>): Translate<K> {
  const lang = useLang();
  return useMemo(() => translator(set, lang), [set, lang]);
}

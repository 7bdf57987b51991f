/**
 * Theme and language follow the user to every console: once signed in and connected, the
 * user's saved `language` and `theme` (server preferences, `prefs.get`) replace what this
 * console remembered; a change made here is saved back (`prefs.set`). localStorage stays the
 * fallback (before sign-in, or when the station refuses).
 */
import { useEffect, useRef } from 'react';
import { useConnected, useStation } from '../app/station-context.js';
import { isLang } from '../i18n/i18n.js';
import { useLang, useSetLang } from '../i18n/language.js';
import { isTheme } from './theme.js';
import { useTheme } from './theme-provider.js';

export const LANGUAGE_PREF = 'language';
export const THEME_PREF = 'theme';

export function usePreferenceSync(user: string | null): void {
  const station = useStation();
  const connected = useConnected();
  const lang = useLang();
  const setLang = useSetLang();
  const { theme, setTheme } = useTheme();
  // What the station holds for this user; null until read.
  const saved = useRef<{ user: string; language: unknown; theme: unknown } | null>(null);

  useEffect(() => {
    if (!connected || user === null || saved.current?.user === user) return;
    let live = true;
    void station.transport.request('prefs.get', {}).then((reply) => {
      if (!live) return;
      const prefs = reply.ok ? reply.value : {};
      saved.current = { user, language: prefs[LANGUAGE_PREF], theme: prefs[THEME_PREF] };
      if (isLang(prefs[LANGUAGE_PREF])) setLang(prefs[LANGUAGE_PREF]);
      if (isTheme(prefs[THEME_PREF])) setTheme(prefs[THEME_PREF]);
    });
    return () => {
      live = false;
    };
  }, [station, connected, user, setLang, setTheme]);

  useEffect(() => {
    const s = saved.current;
    if (!s || s.user !== user || !connected) return;
    if (s.language !== lang) {
      s.language = lang;
      void station.transport.request('prefs.set', { key: LANGUAGE_PREF, value: lang });
    }
    if (s.theme !== theme) {
      s.theme = theme;
      void station.transport.request('prefs.set', { key: THEME_PREF, value: theme });
    }
  }, [station, connected, user, lang, theme]);
}

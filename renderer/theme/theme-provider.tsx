/**
 * The console's theme at run time: `data-theme` on <html> selects the dark token set in
 * styles.css. Remembered per user on this console (like the language), so the night shift's
 * operator gets the dark console back after a reload or shift handover.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isTheme, type Theme } from './theme.js';

interface ThemeState {
  readonly theme: Theme;
  readonly setTheme: (theme: Theme) => void;
}

const ThemeContext = createContext<ThemeState>({ theme: 'light', setTheme: () => undefined });

const storageKey = (user: string | null): string => `argus.theme.${user ?? '-'}`;

function readStored(user: string | null): Theme | null {
  try {
    const v = window.localStorage.getItem(storageKey(user));
    return isTheme(v) ? v : null;
  } catch {
    return null;
  }
}

/** `user` is the signed-in user's name (null before sign-in: the console's last theme). */
export function ThemeProvider({ user, children }: { user: string | null; children: ReactNode }) {
  const [theme, setThemeState] = useState<Theme>(() => readStored(user) ?? readStored(null) ?? 'light');
  useEffect(() => {
    const stored = readStored(user);
    if (stored) setThemeState(stored);
  }, [user]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  const setTheme = useCallback(
    (next: Theme) => {
      setThemeState(next);
      try {
        window.localStorage.setItem(storageKey(user), next);
        window.localStorage.setItem(storageKey(null), next);
      } catch {
        // Not remembered, but switched.
      }
    },
    [user],
  );
  const value = useMemo(() => ({ theme, setTheme }), [theme, setTheme]);
  return <ThemeContext value={value}>{children}</ThemeContext>;
}

export function useTheme(): ThemeState {
  return useContext(ThemeContext);
}

/**
 * The signed-in user's menu in the header: quick user switch for shift handover, own
 * password change, lock now and sign out. A disclosure button with a list of actions;
 * Escape or a click elsewhere closes it, arrow keys move between the actions.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { ChangePasswordDialog } from './change-password-dialog.js';
import { LockCountdown } from './lock-countdown.js';
import { SwitchUserDialog } from './switch-user-dialog.js';
import { LanguageSwitch } from './language-switch.js';
import { authText } from './auth-text.js';
import { useText } from '../i18n/language.js';
import { useTheme } from '../theme/theme-provider.js';
import { THEMES } from '../theme/theme.js';
import { openKeyboardHelp } from '../keyboard/keyboard-help.js';
import { usePreferenceSync } from '../theme/preference-sync.js';

type OpenDialog = 'switch' | 'password' | null;

export function UserMenu() {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const rootRef = useRef<HTMLSpanElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const t = useText(authText);
  const { theme, setTheme } = useTheme();
  usePreferenceSync(auth?.state === 'active' ? (auth.user?.name ?? null) : null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    listRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  if (!auth?.user || auth.state !== 'active') return null;

  const choose = (action: () => void) => () => {
    setOpen(false);
    action();
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  };

  return (
    <span className="user" ref={rootRef}>
      <LockCountdown />
      <button
        ref={buttonRef}
        type="button"
        className="header-button user-menu-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="user-menu-list"
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu"
        title={
          auth.user.areas.length
            ? t('signedInAsAreas', { name: auth.user.name, role: auth.user.role, areas: auth.user.areas.join(', ') })
            : t('signedInAs', { name: auth.user.name, role: auth.user.role })
        }
      >
        <span className="user-name" data-testid="user-name">
          {auth.user.name} <span className="user-role">({auth.user.role})</span>
        </span>{' '}
        <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div id="user-menu-list" className="user-menu" ref={listRef} onKeyDown={onMenuKey}>
          <button type="button" onClick={choose(() => setDialog('switch'))} data-testid="switch-user">
            {t('switchUser')}
          </button>
          <button type="button" onClick={choose(() => setDialog('password'))} data-testid="change-password">
            {t('changePassword')}
          </button>
          <button type="button" onClick={choose(() => void station.lock())} data-testid="lock-button">
            {t('lockNow')}
          </button>
          <button type="button" onClick={choose(() => void station.signOut())} data-testid="signout-button">
            {t('signOut')}
          </button>
          <div className="user-menu-choice">
            <span className="user-menu-label">{t('theme')}</span>
            <span className="choice-group" role="group" aria-label={t('theme')}>
              {THEMES.map((th) => (
                <button
                  key={th}
                  type="button"
                  aria-pressed={theme === th}
                  onClick={() => setTheme(th)}
                  data-testid={`theme-${th}`}
                >
                  {th === 'light' ? t('themeLight') : t('themeDark')}
                </button>
              ))}
            </span>
          </div>
          <div className="user-menu-choice">
            <span className="user-menu-label">{t('language')}</span>
            <LanguageSwitch />
          </div>
          <button type="button" onClick={choose(openKeyboardHelp)} data-testid="keyboard-help-button">
            {t('keyboardHelp')}
          </button>
        </div>
      ) : null}
      {dialog === 'switch' ? <SwitchUserDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'password' ? <ChangePasswordDialog onClose={() => setDialog(null)} /> : null}
    </span>
  );
}

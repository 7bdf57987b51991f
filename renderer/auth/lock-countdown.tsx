/**
 * A small countdown in the header during the last minute before the runtime locks an idle
 * session. The lock time the console knows can be early (every request moves it), so it
 * asks the runtime again before showing anything. Any key or click while it shows counts as
 * activity: it sends a user request so the runtime restarts its idle time.
 */
import { useEffect, useRef } from 'react';
import { useNow, useStation, useStationSnapshot } from '../app/station-context.js';
import { lockCountdownSeconds } from './password-rules.js';
import { useText } from '../i18n/language.js';
import { authText } from './auth-text.js';

export function LockCountdown() {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const now = useNow();
  const t = useText(authText);
  const locksAt = auth?.state === 'active' ? auth.locksAt : null;
  const seconds = lockCountdownSeconds(locksAt, now);
  const checkedFor = useRef<number | null>(null);
  const confirmed = seconds !== null && checkedFor.current === locksAt;

  useEffect(() => {
    // Ask once per known lock time whether it still holds (requests since may have moved it).
    if (seconds === null || checkedFor.current === locksAt) return;
    checkedFor.current = locksAt;
    void station.refreshAuth();
  }, [seconds, locksAt, station]);

  useEffect(() => {
    if (!confirmed) return;
    const onActivity = () => void station.stayActive();
    window.addEventListener('keydown', onActivity, { once: true });
    window.addEventListener('pointerdown', onActivity, { once: true });
    return () => {
      window.removeEventListener('keydown', onActivity);
      window.removeEventListener('pointerdown', onActivity);
    };
  }, [confirmed, station]);

  if (!confirmed) return null;
  return (
    <span className="lock-countdown" role="timer" aria-live="off" data-testid="lock-countdown" title={t('locksHint')}>
      <svg className="lock-countdown-glyph" viewBox="0 0 10 10" width="0.9em" height="0.9em" aria-hidden="true">
        <rect x="1.5" y="4.5" width="7" height="5" fill="none" stroke="currentColor" strokeWidth="1.2" />
        <path d="M3 4.5V3a2 2 0 0 1 4 0v1.5" fill="none" stroke="currentColor" strokeWidth="1.2" />
      </svg>{' '}
      {t('locksIn', { s: seconds })}
    </span>
  );
}

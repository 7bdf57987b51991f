/** Says plainly when the console is not connected: every value on screen is then not current. */
import { useConnection, useNow } from '../app/station-context.js';
import { useLang, useText } from '../i18n/language.js';
import { reasonText } from '../format/quality.js';
import { screensText } from './screens-text.js';

export function ConnectionBanner() {
  const status = useConnection();
  const now = useNow();
  const t = useText(screensText);
  const lang = useLang();
  if (status.phase === 'connected' || status.phase === 'paused') return null;
  const lost = status.everConnected;
  const retryIn = status.nextRetryAt !== null ? Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000)) : null;
  return (
    <div
      className={lost ? 'banner banner-lost' : 'banner banner-connecting'}
      role="alert"
      data-testid="connection-banner"
      data-phase={status.phase}
    >
      <strong>{lost ? t('lost') : t('connecting')}</strong>
      <span className="banner-detail">
        {lost ? t('notCurrent') : ''}
        {status.phase === 'connecting' ? t('tryingNow') : retryIn !== null ? t('nextAttempt', { s: retryIn }) : ''}
        {status.attempt > 0 ? t('attempt', { n: status.attempt }) : ''}
        {status.lastError ? ` — ${reasonText(status.lastError, lang)}` : ''}
      </span>
    </div>
  );
}

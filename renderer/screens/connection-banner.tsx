/** Says plainly when the console is not connected: every value on screen is then not current. */
import { useConnection, useNow } from '../app/station-context.js';

export function ConnectionBanner() {
  const status = useConnection();
  const now = useNow();
  if (status.phase === 'connected' || status.phase === 'paused') return null;
  const lost = status.everConnected;
  const retryIn = status.nextRetryAt !== null ? Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000)) : null;
  return (
    <div className={lost ? 'banner banner-lost' : 'banner banner-connecting'} role="alert" data-testid="connection-banner" data-phase={status.phase}>
      <strong>{lost ? 'Connection to station lost — reconnecting' : 'Connecting to station…'}</strong>
      <span className="banner-detail">
        {lost ? 'All values shown are NOT CURRENT. ' : ''}
        {status.phase === 'connecting' ? 'Trying now' : retryIn !== null ? `Next attempt in ${retryIn} s` : ''}
        {status.attempt > 0 ? ` (attempt ${status.attempt})` : ''}
        {status.lastError ? ` — ${status.lastError}` : ''}
      </span>
    </div>
  );
}

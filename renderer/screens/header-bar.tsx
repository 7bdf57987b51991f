/**
 * The header: who and where (product, project, simulated badge), the link to the station,
 * which devices the station cannot reach (in the alarm colour with an icon, linking to the
 * Devices screen, for as long as they are offline), the clock, and navigation.
 */
import { useConnection, useConnected, useNow, useStationSnapshot } from '../app/station-context.js';
import { isCurrentPlace, routeHash, type NavItem, type Route } from '../app/navigation.js';
import { formatClock } from '../format/format-value.js';
import { nameList, offlineSummary } from '../format/device-summary.js';
import { UserMenu } from '../auth/user-menu.js';
import { useLang, useText } from '../i18n/language.js';
import { reasonText } from '../format/quality.js';
import { headerText } from './header-text.js';
import '../values/values.css';

function ConnectionIndicator() {
  const status = useConnection();
  const t = useText(headerText);
  const lang = useLang();
  const label =
    status.phase === 'connected'
      ? t('connected')
      : status.phase === 'connecting'
        ? t('connecting')
        : status.phase === 'paused'
          ? t('notSignedIn')
          : t('disconnected');
  return (
    <span
      className={`conn conn-${status.phase}`}
      data-testid="connection-status"
      data-phase={status.phase}
      title={status.lastError ? `${label} — ${reasonText(status.lastError, lang)}` : label}
    >
      <span className="conn-shape" aria-hidden="true" />
      {label}
    </span>
  );
}

/** A plug with a break: the communication-loss icon. */
function UnpluggedIcon() {
  return (
    <svg className="dev-offline-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M1 8h4M11 8h4M5 4.5v7M11 4.5v7M7.2 5.5l1.6 5" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

/** Which devices are offline, from the station's device list (its last known states while the link is down). */
function DevicesIndicator() {
  const { devices, loaded } = useStationSnapshot();
  const connected = useConnected();
  const t = useText(headerText);
  if (!loaded || devices.length === 0) return null;
  const { offline, total } = offlineSummary(devices);
  if (offline.length === 0) {
    return (
      <span className="dev-online" data-testid="devices-status" data-offline="0">
        {t('devicesOk', { count: total })}
      </span>
    );
  }
  const names = nameList(offline);
  const text =
    offline.length === 1 ? t('deviceOffline', { names }) : t('devicesOffline', { count: offline.length, names });
  return (
    <a
      className="dev-offline"
      href={routeHash({ kind: 'devices' })}
      data-testid="devices-status"
      data-offline={offline.length}
      data-devices={offline.join(',')}
      title={t('devicesOfflineTitle', { names: offline.join(', ') })}
      role="status"
    >
      <UnpluggedIcon />
      {text}
      {connected ? null : ` (${t('devicesLastKnown')})`}
    </a>
  );
}

function HeaderClock() {
  const now = useNow();
  return (
    <time className="header-clock" dateTime={new Date(now).toISOString()}>
      {formatClock(now)}
    </time>
  );
}

export function HeaderBar({ items, current }: { items: readonly NavItem[]; current: Route }) {
  const { session } = useStationSnapshot();
  const t = useText(headerText);
  return (
    <header className="header">
      <div className="header-top">
        <span className="product">ARGUS</span>
        {session ? (
          <span className="project" title={session.projectName}>
            {session.projectName}
          </span>
        ) : null}
        {session?.simulated ? (
          <span className="badge-simulated" data-testid="simulated-badge" title={t('simulatedTitle')}>
            {t('simulated')}
          </span>
        ) : null}
        <span className="header-spacer" />
        <UserMenu />
        <DevicesIndicator />
        <ConnectionIndicator />
        <HeaderClock />
      </div>
      <nav className="nav" aria-label={t('displays')} hidden={items.length === 0}>
        {items.map((item) => {
          const active = isCurrentPlace(item.route, current);
          return (
            <a
              key={item.testId}
              href={routeHash(item.route)}
              data-testid={item.testId}
              className={active ? 'nav-link nav-active' : 'nav-link'}
              aria-current={active ? 'page' : undefined}
              aria-keyshortcuts={item.shortcut ? `Alt+${item.shortcut}` : undefined}
              title={item.shortcut ? `${item.label} (Alt+${item.shortcut})` : item.label}
            >
              {item.label}
              {item.shortcut ? <kbd className="nav-key">Alt+{item.shortcut}</kbd> : null}
            </a>
          );
        })}
      </nav>
    </header>
  );
}

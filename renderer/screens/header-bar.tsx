/** The header: who and where (product, project, simulated badge), link state, clock, and navigation. */
import { useConnection, useNow, useStationSnapshot } from '../app/station-context.js';
import { isCurrentPlace, routeHash, type NavItem, type Route } from '../app/navigation.js';
import { formatClock } from '../format/format-value.js';
import { UserMenu } from '../auth/user-menu.js';

function ConnectionIndicator() {
  const status = useConnection();
  const label =
    status.phase === 'connected'
      ? 'Connected'
      : status.phase === 'connecting'
        ? 'Connecting…'
        : status.phase === 'paused'
          ? 'Not signed in'
          : 'Disconnected';
  return (
    <span className={`conn conn-${status.phase}`} data-testid="connection-status" data-phase={status.phase} title={status.lastError ?? label}>
      <span className="conn-shape" aria-hidden="true" />
      {label}
    </span>
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
          <span className="badge-simulated" data-testid="simulated-badge" title="Values come from the built-in simulator, not a real plant">
            SIMULATED PLANT
          </span>
        ) : null}
        <span className="header-spacer" />
        <UserMenu />
        <ConnectionIndicator />
        <HeaderClock />
      </div>
      <nav className="nav" aria-label="Displays" hidden={items.length === 0}>
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

/** The console: header with navigation, the connection banner, and the selected display. */
import '../auth/csp-safe-validation.js';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStationSnapshot } from './station-context.js';
import { navItems, parseRoute, routeForShortcut, routeHash, type Route } from './navigation.js';
import { HeaderBar } from '../screens/header-bar.js';
import { ConnectionBanner } from '../screens/connection-banner.js';
import { DevicesPanel } from '../screens/devices-panel.js';
import { TagsTable } from '../screens/tags-table.js';
import { MimicScreen } from '../mimic/mimic-screen.js';
import { LockOverlay, SignInScreen } from '../screens/sign-in.js';
import { mayDo } from '../auth/access.js';
import { AuditView } from '../audit/audit-view.js';
import { AdminView } from '../admin/admin-view.js';
import { TrendView } from '../trends/trend-view.js';
import { FaceplateHost } from '../faceplates/faceplate-access.js';
import { EngineeringView } from '../engineering/engineering-view.js';
import { mayEngineer } from '../engineering/engineering-access.js';
import { AlarmProvider } from '../alarms/alarm-context.js';
import { AlarmBanner } from '../alarms/alarm-banner.js';
import { AlarmSummary } from '../alarms/alarm-summary.js';
import { AlarmJournalView } from '../alarms/alarm-journal-view.js';
import { AlarmKpiView } from '../alarms/alarm-kpi-view.js';
import '../alarms/alarms.css';
import { OutlookView } from '../predictions/outlook-view.js';
import { ModelRegistryView } from '../predictions/registry-view.js';
import { mayManageModels } from '../predictions/prediction-access.js';
import { LanguageProvider } from '../i18n/language.js';
import { ThemeProvider } from '../theme/theme-provider.js';
import { KeyboardHelp } from '../keyboard/keyboard-help.js';

const OVERVIEW: Route = { kind: 'screen', id: 'overview' };

function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash) ?? OVERVIEW);
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash) ?? OVERVIEW);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

function ScreenView({ id }: { id: string }) {
  const { screens, loaded } = useStationSnapshot();
  // "overview" falls back to the first screen for projects that name theirs otherwise.
  const screen = screens.find((s) => s.id === id) ?? (id === 'overview' ? screens[0] : undefined);
  if (!screen) {
    return <p className="panel muted">{!loaded ? 'Loading displays…' : screens.length === 0 ? 'This project has no screens.' : `No screen "${id}".`}</p>;
  }
  return (
    <section className="screen" aria-label={screen.title}>
      <MimicScreen screen={screen} />
    </section>
  );
}

export function App() {
  const { auth } = useStationSnapshot();
  return (
    <LanguageProvider user={auth?.user?.name ?? null}>
      <ThemeProvider user={auth?.user?.name ?? null}>
        <AppForUser auth={auth} />
        <KeyboardHelp />
      </ThemeProvider>
    </LanguageProvider>
  );
}

function AppForUser({ auth }: { auth: ReturnType<typeof useStationSnapshot>['auth'] }) {
  if (auth === null || auth.state === 'signed-out' || auth.state === 'first-run') {
    return (
      <div className="app">
        <HeaderBar items={[]} current={OVERVIEW} />
        <ConnectionBanner />
        <main className="content">{auth === null ? <p className="panel muted">Contacting the station…</p> : <SignInScreen />}</main>
      </div>
    );
  }
  return <Console locked={auth.state === 'locked'} />;
}

/** Audit and Users are shown only with their permission (a bookmark does not get round that). */
function SecurityPlace({ allowed, view }: { allowed: boolean; view: ReactNode }) {
  return allowed ? view : <p className="panel muted">You are not allowed here. Sign in as a user who is.</p>;
}

function Console({ locked }: { locked: boolean }) {
  const { screens, loadError, auth } = useStationSnapshot();
  const mayAudit = mayDo(auth, 'audit.view');
  const mayAdmin = mayDo(auth, 'user.manage');
  const mayEngineerProject = mayEngineer(auth, 'project.edit');
  const mayModels = mayManageModels(auth);
  const items = useMemo(() => navItems(screens, { audit: mayAudit, admin: mayAdmin, engineering: mayEngineerProject, models: mayModels }), [screens, mayAudit, mayAdmin, mayEngineerProject, mayModels]);
  const route = useHashRoute();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (locked || !e.altKey || e.ctrlKey || e.metaKey) return;
      // e.code, not e.key: Alt+digit types other characters on some keyboard layouts.
      const digit = /^(?:Digit|Numpad)([1-9])$/.exec(e.code)?.[1];
      const target = digit ? routeForShortcut(items, digit) : null;
      if (!target) return;
      e.preventDefault();
      window.location.hash = routeHash(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, locked]);

  return (
    <AlarmProvider locked={locked}>
    <FaceplateHost>
    <div className="app">
      <HeaderBar items={items} current={route} />
      <ConnectionBanner />
      <AlarmBanner />
      {loadError ? (
        <div className="banner banner-error" role="alert">
          The station did not answer the console's requests: {loadError}. Retrying…
        </div>
      ) : null}
      <main className="content">
        {route.kind === 'devices' ? <DevicesPanel /> : route.kind === 'tags' ? <TagsTable /> : route.kind === 'trends' ? <TrendView /> : route.kind === 'audit' ? <SecurityPlace allowed={mayAudit} view={<AuditView />} /> : route.kind === 'admin' ? <SecurityPlace allowed={mayAdmin} view={<AdminView />} /> : route.kind === 'engineering' ? <SecurityPlace allowed={mayEngineerProject} view={<EngineeringView />} /> : route.kind === 'alarms' ? <AlarmSummary /> : route.kind === 'alarm-journal' ? <AlarmJournalView /> : route.kind === 'alarm-kpis' ? <AlarmKpiView /> : route.kind === 'outlook' ? <OutlookView /> : route.kind === 'models' ? <SecurityPlace allowed={mayModels} view={<ModelRegistryView />} /> : <ScreenView id={route.id} />}
      </main>
      {locked ? <LockOverlay /> : null}
    </div>
    </FaceplateHost>
    </AlarmProvider>
  );
}

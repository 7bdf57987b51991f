/** The console: header with navigation, the connection banner, and the selected display. */
import '../auth/csp-safe-validation.js';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStationSnapshot } from './station-context.js';
import { navItems, parseRoute, placeLabel, routeForShortcut, routeHash, type Route } from './navigation.js';
import { screenTitle, screenTree } from './hierarchy.js';
import { PlaceHeader, useNavPosition } from './place-header.js';
import { ScreenTree } from './screen-tree.js';
import { PlantOverview } from '../overview/plant-overview.js';
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
import '../overview/overview.css';
import { OutlookView } from '../predictions/outlook-view.js';
import { ModelRegistryView } from '../predictions/registry-view.js';
import { mayManageModels } from '../predictions/prediction-access.js';
import { LanguageProvider, useLang, useText } from '../i18n/language.js';
import { appText } from './app-text.js';
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
  const t = useText(appText);
  const lang = useLang();
  // "overview" falls back to the first screen for projects that name theirs otherwise.
  const screen = screens.find((s) => s.id === id) ?? (id === 'overview' ? screens[0] : undefined);
  if (!screen) {
    return (
      <p className="panel muted">
        {!loaded ? t('loadingDisplays') : screens.length === 0 ? t('noScreens') : t('noScreen', { id })}
      </p>
    );
  }
  return (
    <section className="screen" aria-label={screenTitle(screen, lang)}>
      {screen.tiles ? <PlantOverview screen={screen} /> : <MimicScreen screen={screen} />}
    </section>
  );
}

/** The screen tree is shown by default once the project has more screens than tabs; the choice is remembered. */
function useTreeShown(screenCount: number): [boolean, () => void] {
  const [chosen, setChosen] = useState<boolean | null>(() => {
    const stored = window.localStorage.getItem('argus.screenTree');
    return stored === 'shown' ? true : stored === 'hidden' ? false : null;
  });
  const shown = chosen ?? screenCount > 6;
  const toggle = () => {
    window.localStorage.setItem('argus.screenTree', shown ? 'hidden' : 'shown');
    setChosen(!shown);
  };
  return [shown, toggle];
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
        <main className="content">{auth === null ? <Contacting /> : <SignInScreen />}</main>
      </div>
    );
  }
  return <Console locked={auth.state === 'locked'} />;
}

/** Audit and Users are shown only with their permission (a bookmark does not get round that). */
function SecurityPlace({ allowed, view }: { allowed: boolean; view: ReactNode }) {
  const t = useText(appText);
  return allowed ? view : <p className="panel muted">{t('notAllowed')}</p>;
}

function Contacting() {
  const t = useText(appText);
  return <p className="panel muted">{t('contacting')}</p>;
}

function NotAnswering({ error }: { error: string }) {
  const t = useText(appText);
  return (
    <div className="banner banner-error" role="alert">
      {t('notAnswering', { error })}
    </div>
  );
}

function Console({ locked }: { locked: boolean }) {
  const { screens, loadError, auth } = useStationSnapshot();
  const mayAudit = mayDo(auth, 'audit.view');
  const mayAdmin = mayDo(auth, 'user.manage');
  const mayEngineerProject = mayEngineer(auth, 'project.edit');
  const mayModels = mayManageModels(auth);
  const lang = useLang();
  const items = useMemo(
    () =>
      navItems(screens, { audit: mayAudit, admin: mayAdmin, engineering: mayEngineerProject, models: mayModels }, lang),
    [screens, mayAudit, mayAdmin, mayEngineerProject, mayModels, lang],
  );
  const route = useHashRoute();
  const tree = useMemo(() => screenTree(screens, lang), [screens, lang]);
  const position = useNavPosition();
  const [treeShown, toggleTree] = useTreeShown(screens.length);
  const shownScreen =
    route.kind === 'screen'
      ? (screens.find((s) => s.id === route.id) ?? (route.id === 'overview' ? screens[0] : undefined))
      : undefined;
  // The route as the tree knows it: "overview" may stand for the project's first screen.
  const placeRoute: Route = shownScreen ? { kind: 'screen', id: shownScreen.id } : route;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (locked || !e.altKey || e.ctrlKey || e.metaKey) return;
      // Alt+← / Alt+→: back and forward through the displays (the desktop window has no browser keys).
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        if (e.key === 'ArrowLeft') window.history.back();
        else window.history.forward();
        return;
      }
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
          {loadError ? <NotAnswering error={loadError} /> : null}
          <main className="content">
            <div className="place">
              <PlaceHeader
                route={placeRoute}
                tree={tree}
                title={shownScreen ? screenTitle(shownScreen, lang) : placeLabel(route, lang)}
                placeLabel={placeLabel(route, lang)}
                level={shownScreen?.level ?? (route.kind === 'devices' ? 4 : undefined)}
                treeShown={treeShown}
                onToggleTree={toggleTree}
                position={position}
              />
              <div className="place-body">
                {treeShown ? <ScreenTree tree={tree} route={placeRoute} /> : null}
                <div className="place-view" id="place-view">
                  {route.kind === 'devices' ? (
                    <DevicesPanel />
                  ) : route.kind === 'tags' ? (
                    <TagsTable />
                  ) : route.kind === 'trends' ? (
                    <TrendView />
                  ) : route.kind === 'audit' ? (
                    <SecurityPlace allowed={mayAudit} view={<AuditView />} />
                  ) : route.kind === 'admin' ? (
                    <SecurityPlace allowed={mayAdmin} view={<AdminView />} />
                  ) : route.kind === 'engineering' ? (
                    <SecurityPlace allowed={mayEngineerProject} view={<EngineeringView />} />
                  ) : route.kind === 'alarms' ? (
                    <AlarmSummary />
                  ) : route.kind === 'alarm-journal' ? (
                    <AlarmJournalView />
                  ) : route.kind === 'alarm-kpis' ? (
                    <AlarmKpiView />
                  ) : route.kind === 'outlook' ? (
                    <OutlookView />
                  ) : route.kind === 'models' ? (
                    <SecurityPlace allowed={mayModels} view={<ModelRegistryView />} />
                  ) : (
                    <ScreenView id={route.id} />
                  )}
                </div>
              </div>
            </div>
          </main>
          {locked ? <LockOverlay /> : null}
        </div>
      </FaceplateHost>
    </AlarmProvider>
  );
}

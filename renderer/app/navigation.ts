/**
 * The console's places and how to reach them: one entry per project screen, then Devices
 * Alarms, Devices and Tags. Routes live in the URL hash (`#/screen/<id>`, `#/alarms`, `#/devices`, `#/tags`) so a
 * reload or a bookmark returns to the same place. Pure: no DOM.
 */
import { translator, type Lang } from '../i18n/i18n.js';
import { hierarchyText } from './hierarchy-text.js';
import { screenLabel, screenTitle, tabScreens, type HierarchyScreen } from './hierarchy.js';

export type Route =
  | { readonly kind: 'screen'; readonly id: string }
  | { readonly kind: 'devices' }
  | { readonly kind: 'tags' }
  | { readonly kind: 'trends' }
  | { readonly kind: 'audit' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'engineering' }
  | { readonly kind: 'alarms' }
  | { readonly kind: 'alarm-journal' }
  | { readonly kind: 'alarm-kpis' }
  | { readonly kind: 'outlook' }
  | { readonly kind: 'models' };

export interface NavItem {
  readonly route: Route;
  readonly label: string;
  /** `data-testid` of the link. */
  readonly testId: string;
  /** Alt+<digit> shortcut, 1-based; undefined past 9. */
  readonly shortcut?: number;
}

export function routeHash(route: Route): string {
  if (route.kind === 'alarm-journal') return '#/alarms/journal';
  if (route.kind === 'alarm-kpis') return '#/alarms/kpis';
  return route.kind === 'screen' ? `#/screen/${route.id}` : `#/${route.kind}`;
}

export function parseRoute(hash: string): Route | null {
  const path = hash.replace(/^#\/?/, '');
  if (path === 'devices') return { kind: 'devices' };
  if (path === 'tags') return { kind: 'tags' };
  // `#/trends?tags=A,B` opens the trend with those pens (renderer/trends/trend-route.ts, `trendHash`).
  if (path === 'trends' || path.startsWith('trends?')) return { kind: 'trends' };
  if (path === 'audit') return { kind: 'audit' };
  if (path === 'admin') return { kind: 'admin' };
  if (path === 'engineering') return { kind: 'engineering' };
  if (path === 'alarms') return { kind: 'alarms' };
  if (path === 'alarms/journal') return { kind: 'alarm-journal' };
  if (path === 'alarms/kpis') return { kind: 'alarm-kpis' };
  if (path === 'outlook') return { kind: 'outlook' };
  if (path === 'models') return { kind: 'models' };
  const m = /^screen\/([a-z0-9-]+)$/.exec(path);
  return m ? { kind: 'screen', id: m[1]! } : null;
}

export function sameRoute(a: Route, b: Route): boolean {
  return a.kind === b.kind && (a.kind !== 'screen' || (b.kind === 'screen' && a.id === b.id));
}

/** Whether a navigation entry is the place the route is in (the alarm journal and KPIs are part of Alarms). */
export function isCurrentPlace(item: Route, current: Route): boolean {
  const place = (r: Route): Route => (r.kind === 'alarm-journal' || r.kind === 'alarm-kpis' ? { kind: 'alarms' } : r);
  return sameRoute(place(item), place(current));
}

const titleCase = (s: string): string =>
  s.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase());

/** Places shown only to users allowed there: Audit (`audit.view`), Users and tokens (`user.manage`), Engineering (`project.edit`). */
export interface SecurityNavAccess {
  readonly audit?: boolean;
  readonly admin?: boolean;
  readonly engineering?: boolean;
  /** The model registry (`model.manage`). */
  readonly models?: boolean;
}

/**
 * Navigation entries. The overview screen (id `overview`, else the first screen) is
 * "Overview" with test id `nav-overview`; other screens are named from their id
 * (`pumps` → "Pumps", `nav-pumps`).
 */
export function navItems(
  screens: readonly HierarchyScreen[],
  access: SecurityNavAccess = {},
  lang: Lang = 'en',
): NavItem[] {
  const t = translator(hierarchyText, lang);
  const overviewId = screens.some((s) => s.id === 'overview') ? 'overview' : screens[0]?.id;
  const items: Omit<NavItem, 'shortcut'>[] = [];
  // Levels 1 and 2 while they fit; with many units only the plant overview (the screen tree has the rest).
  const tabs = tabScreens(screens);
  if (overviewId !== undefined && !tabs.some((s) => s.id === overviewId))
    items.push({ route: { kind: 'screen', id: overviewId }, label: t('overview'), testId: 'nav-overview' });
  for (const s of tabs) {
    if (s.id === overviewId)
      items.unshift({ route: { kind: 'screen', id: s.id }, label: t('overview'), testId: 'nav-overview' });
    else {
      const clash =
        s.id === 'devices' ||
        s.id === 'tags' ||
        s.id === 'trends' ||
        s.id === 'overview' ||
        s.id === 'audit' ||
        s.id === 'admin' ||
        s.id === 'engineering' ||
        s.id === 'alarms' ||
        s.id === 'outlook' ||
        s.id === 'models';
      items.push({
        route: { kind: 'screen', id: s.id },
        // Its label, else a title given in both languages (in the operator's), else its id.
        label:
          s.label !== undefined
            ? screenLabel(s, lang)
            : typeof s.title === 'object'
              ? screenTitle(s, lang)
              : titleCase(s.id),
        testId: clash ? `nav-screen-${s.id}` : `nav-${s.id}`,
      });
    }
  }
  // Alarms right after the plant's own screens: the place operators go most.
  items.push({ route: { kind: 'alarms' }, label: t('alarms'), testId: 'nav-alarms' });
  items.push({ route: { kind: 'devices' }, label: t('devicesTab'), testId: 'nav-devices' });
  items.push({ route: { kind: 'tags' }, label: t('tags'), testId: 'nav-tags' });
  items.push({ route: { kind: 'trends' }, label: t('trends'), testId: 'nav-trends' });
  items.push({ route: { kind: 'outlook' }, label: t('outlook'), testId: 'nav-outlook' });
  if (access.audit) items.push({ route: { kind: 'audit' }, label: t('audit'), testId: 'nav-audit' });
  if (access.admin) items.push({ route: { kind: 'admin' }, label: t('users'), testId: 'nav-admin' });
  if (access.engineering)
    items.push({ route: { kind: 'engineering' }, label: t('engineering'), testId: 'nav-engineering' });
  if (access.models) items.push({ route: { kind: 'models' }, label: t('models'), testId: 'nav-models' });
  return items.map((item, i) => (i < 9 ? { ...item, shortcut: i + 1 } : item));
}

/** The name of a place that is not a project screen (the heading and the single breadcrumb of Alarms, Tags …). */
export function placeLabel(route: Route, lang: Lang): string {
  const t = translator(hierarchyText, lang);
  switch (route.kind) {
    case 'screen':
      return route.id;
    case 'devices':
      return t('devices');
    case 'admin':
      return t('users');
    case 'alarm-journal':
      return t('alarmJournal');
    case 'alarm-kpis':
      return t('alarmKpis');
    default:
      return t(route.kind);
  }
}

/**
 * Back and forward over the URL hash history: each entry the console makes carries its
 * position (`history.state.argusNav`), so the buttons know whether there is a way back or
 * forward. `state` is the entry's state after a hash change; `at`/`top` the position before.
 */
export interface NavPosition {
  readonly at: number;
  /** The furthest entry forward still reachable. */
  readonly top: number;
}

export function navPositionAfter(
  previous: NavPosition,
  state: unknown,
): { readonly position: NavPosition; readonly stamp: number | null } {
  const known = typeof state === 'object' && state !== null ? (state as { argusNav?: unknown }).argusNav : undefined;
  if (typeof known === 'number' && Number.isInteger(known) && known >= 0)
    return { position: { at: known, top: Math.max(previous.top, known) }, stamp: null };
  // A new entry (a link, a tab, a typed hash): everything forward of it is gone.
  const at = previous.at + 1;
  return { position: { at, top: at }, stamp: at };
}

/** The route an Alt+<key> press selects, if any. */
export function routeForShortcut(items: readonly NavItem[], key: string): Route | null {
  if (!/^[1-9]$/.test(key)) return null;
  return items.find((item) => item.shortcut === Number(key))?.route ?? null;
}

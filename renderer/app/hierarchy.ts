/**
 * The display hierarchy (ISA-101): level 1 plant overview → level 2 process unit → level 3
 * equipment → level 4 diagnostics (the Devices place). Built from the project screens'
 * `level`, `parent` and `label`; gives the screen tree, the breadcrumbs, a screen's children
 * and the screens that get a tab of their own. Pure: no DOM.
 */
import { pickText, translator, type Lang, type ProjectText } from '../i18n/i18n.js';
import type { Route } from './navigation.js';
import { hierarchyText } from './hierarchy-text.js';

export interface HierarchyScreen {
  readonly id: string;
  readonly title: ProjectText;
  readonly level?: number;
  readonly parent?: string | undefined;
  readonly label?: ProjectText | undefined;
}

export interface TreeNode {
  /** Unique in the tree: `screen:<id>` or the place's kind. */
  readonly key: string;
  readonly route: Route;
  readonly label: string;
  readonly level: number;
  readonly children: readonly TreeNode[];
}

export interface Crumb {
  readonly route: Route;
  readonly label: string;
}

export const screenKey = (id: string): string => `screen:${id}`;

/** The key of the tree node a route shows, or null when the route is not in the tree. */
export function routeKey(route: Route): string | null {
  return route.kind === 'screen' ? screenKey(route.id) : route.kind === 'devices' ? 'devices' : null;
}

/** A screen's title in the operator's language (a project may give it in both, `{ en, zh }`). */
export function screenTitle(s: Pick<HierarchyScreen, 'id' | 'title'>, lang: Lang): string {
  return pickText(s.title, lang) || s.id;
}

/** A screen's short name: its label in the language, else its title. */
export function screenLabel(s: HierarchyScreen, lang: Lang): string {
  return (s.label !== undefined ? pickText(s.label, lang) : '') || screenTitle(s, lang);
}

/** The parent of each screen that names an existing one (no self-parent; a cycle is cut where it closes). */
function parentsOf(screens: readonly HierarchyScreen[]): Map<string, string> {
  const ids = new Set(screens.map((s) => s.id));
  const parent = new Map<string, string>();
  for (const s of screens)
    if (s.parent !== undefined && s.parent !== s.id && ids.has(s.parent)) parent.set(s.id, s.parent);
  // Cut cycles: walk up from each screen; a repeat means the link that closes the loop goes.
  for (const s of screens) {
    const seen = new Set<string>([s.id]);
    let at = s.id;
    for (let p = parent.get(at); p !== undefined; p = parent.get(at)) {
      if (seen.has(p)) {
        parent.delete(at);
        break;
      }
      seen.add(p);
      at = p;
    }
  }
  return parent;
}

/**
 * The screen tree: screens under their parents in project order, and the Devices place
 * (level 4: devices and communication) under the level-1 overview (at the top without one).
 */
export function screenTree(screens: readonly HierarchyScreen[], lang: Lang): TreeNode[] {
  const t = translator(hierarchyText, lang);
  const parent = parentsOf(screens);
  const byParent = new Map<string | null, HierarchyScreen[]>();
  for (const s of screens) {
    const p = parent.get(s.id) ?? null;
    byParent.set(p, [...(byParent.get(p) ?? []), s]);
  }
  const devices: TreeNode = { key: 'devices', route: { kind: 'devices' }, label: t('devices'), level: 4, children: [] };
  const build = (s: HierarchyScreen): TreeNode => ({
    key: screenKey(s.id),
    route: { kind: 'screen', id: s.id },
    label: screenLabel(s, lang),
    level: s.level ?? 2,
    children: (byParent.get(s.id) ?? []).map(build),
  });
  const roots = (byParent.get(null) ?? []).map(build);
  const overview = roots.findIndex((n) => n.level === 1);
  if (overview >= 0) {
    const o = roots[overview]!;
    roots[overview] = { ...o, children: [...o.children, devices] };
  } else roots.push(devices);
  return roots;
}

/** The path from a root to the node with `key` (both included), or [] when it is not in the tree. */
export function pathTo(tree: readonly TreeNode[], key: string): TreeNode[] {
  for (const node of tree) {
    if (node.key === key) return [node];
    const below = pathTo(node.children, key);
    if (below.length > 0) return [node, ...below];
  }
  return [];
}

/** Breadcrumbs for a route: Plant › SS03 › Pump 1; a place outside the tree is a single crumb of its own name. */
export function breadcrumbs(tree: readonly TreeNode[], route: Route, placeLabel: string): Crumb[] {
  const key = routeKey(route);
  const path = key ? pathTo(tree, key) : [];
  if (path.length === 0) return [{ route, label: placeLabel }];
  return path.map((n) => ({ route: n.route, label: n.label }));
}

/** The screens one level down from a route's node (the equipment of a substation, the substations of the plant). */
export function childrenOf(tree: readonly TreeNode[], route: Route): TreeNode[] {
  const key = routeKey(route);
  const path = key ? pathTo(tree, key) : [];
  return [...(path[path.length - 1]?.children ?? [])];
}

/** The nodes to open so the route's node can be seen (its ancestors), with every root. */
export function expandedFor(tree: readonly TreeNode[], route: Route): Set<string> {
  const key = routeKey(route);
  const open = new Set(tree.map((n) => n.key));
  if (key) for (const n of pathTo(tree, key).slice(0, -1)) open.add(n.key);
  return open;
}

export interface VisibleRow {
  readonly node: TreeNode;
  readonly depth: number;
  readonly parentKey: string | null;
  readonly expanded: boolean;
  /** 1-based position among its siblings, and their count (aria-posinset / aria-setsize). */
  readonly position: number;
  readonly siblings: number;
}

/** The rows a tree shows with the given nodes open, in reading order. */
export function visibleRows(tree: readonly TreeNode[], expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number, parentKey: string | null) => {
    nodes.forEach((node, i) => {
      const open = node.children.length > 0 && expanded.has(node.key);
      rows.push({ node, depth, parentKey, expanded: open, position: i + 1, siblings: nodes.length });
      if (open) walk(node.children, depth + 1, node.key);
    });
  };
  walk(tree, 1, null);
  return rows;
}

export type TreeAction =
  | { readonly kind: 'focus'; readonly key: string }
  | { readonly kind: 'expand'; readonly key: string }
  | { readonly kind: 'collapse'; readonly key: string }
  | { readonly kind: 'open'; readonly route: Route }
  | { readonly kind: 'none' };

/** What a key does in the tree (WAI-ARIA tree view pattern): arrows move and open/close, Home/End jump, Enter opens. */
export function treeKeyAction(rows: readonly VisibleRow[], focusedKey: string, key: string): TreeAction {
  const i = rows.findIndex((r) => r.node.key === focusedKey);
  if (i < 0) return rows[0] ? { kind: 'focus', key: rows[0].node.key } : { kind: 'none' };
  const row = rows[i]!;
  switch (key) {
    case 'ArrowDown':
      return rows[i + 1] ? { kind: 'focus', key: rows[i + 1]!.node.key } : { kind: 'none' };
    case 'ArrowUp':
      return i > 0 ? { kind: 'focus', key: rows[i - 1]!.node.key } : { kind: 'none' };
    case 'ArrowRight':
      if (row.node.children.length === 0) return { kind: 'none' };
      return row.expanded ? { kind: 'focus', key: row.node.children[0]!.key } : { kind: 'expand', key: row.node.key };
    case 'ArrowLeft':
      if (row.expanded) return { kind: 'collapse', key: row.node.key };
      return row.parentKey ? { kind: 'focus', key: row.parentKey } : { kind: 'none' };
    case 'Home':
      return { kind: 'focus', key: rows[0]!.node.key };
    case 'End':
      return { kind: 'focus', key: rows[rows.length - 1]!.node.key };
    case 'Enter':
    case ' ':
      return { kind: 'open', route: row.node.route };
    default:
      return { kind: 'none' };
  }
}

/** Most screens that get a tab of their own; past that only the level-1 overview does (the tree has the rest). */
export const MAX_SCREEN_TABS = 6;

/**
 * The screens shown as tabs: levels 1 and 2 while they fit, else only level 1 (or the first
 * screen). Screens without a level (older projects) all count as level 2.
 */
export function tabScreens<S extends HierarchyScreen>(screens: readonly S[]): S[] {
  const top = screens.filter((s) => (s.level ?? 2) <= 2);
  if (top.length <= MAX_SCREEN_TABS) return top.length > 0 ? top : screens.slice(0, 1);
  const overviews = screens.filter((s) => s.level === 1);
  return overviews.length > 0 ? overviews.slice(0, MAX_SCREEN_TABS) : screens.slice(0, 1);
}

/** Whether the route is in the tree and shown (for aria-current). */
export function isCurrentNode(node: TreeNode, route: Route): boolean {
  return routeKey(route) === node.key;
}

/**
 * The address-space tree of the tag picker as data: children are fetched per node when it
 * is first expanded (`opcua.browse`), cached by node id, and expanded state is kept per
 * path so a server whose references loop back (A → B → A) cannot make the tree endless.
 * `visibleRows` flattens what is open into the rows the screen draws. Pure.
 */
import type { BrowseEntryDto } from '../../preload/contract.js';

export type ChildrenState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly entries: readonly BrowseEntryDto[] }
  | { readonly status: 'error'; readonly message: string };

/** The key of the Objects folder (browsed without a node id). */
export const ROOT_KEY = '';

export interface BrowseTreeState {
  /** Children by node id (ROOT_KEY: the Objects folder). */
  readonly children: ReadonlyMap<string, ChildrenState>;
  /** Open rows by path key. */
  readonly expanded: ReadonlySet<string>;
}

export const emptyBrowseTree: BrowseTreeState = { children: new Map(), expanded: new Set() };

export function pathKey(nodeIds: readonly string[]): string {
  return nodeIds.join('\u0000');
}

export function withChildren(state: BrowseTreeState, nodeId: string, children: ChildrenState): BrowseTreeState {
  const next = new Map(state.children);
  next.set(nodeId, children);
  return { ...state, children: next };
}

export function withExpanded(state: BrowseTreeState, key: string, open: boolean): BrowseTreeState {
  if (state.expanded.has(key) === open) return state;
  const next = new Set(state.expanded);
  if (open) next.add(key);
  else next.delete(key);
  return { ...state, expanded: next };
}

/**
 * Node classes that organise other nodes. Variables are leaves here: their children are
 * mostly properties (EngineeringUnits, EURange) that the browse answer already summarises.
 */
export function mayHaveChildren(entry: Pick<BrowseEntryDto, 'nodeClass'>): boolean {
  return entry.nodeClass === 'Object' || entry.nodeClass === 'View' || entry.nodeClass === 'ObjectType';
}

/** A node a tag can be made from. */
export function isPickable(entry: Pick<BrowseEntryDto, 'nodeClass'>): boolean {
  return entry.nodeClass === 'Variable';
}

export type BrowseRow =
  | {
      readonly kind: 'node';
      readonly key: string;
      readonly entry: BrowseEntryDto;
      /** 1 for the children of Objects. */
      readonly level: number;
      /** Browse names from below Objects down to this node. */
      readonly browsePath: readonly string[];
      readonly expandable: boolean;
      readonly expanded: boolean;
    }
  | { readonly kind: 'loading' | 'empty'; readonly key: string; readonly level: number }
  | { readonly kind: 'error'; readonly key: string; readonly level: number; readonly message: string };

/** The rows on screen, depth first, with a status row under an open node whose children are not there. */
export function visibleRows(state: BrowseTreeState): BrowseRow[] {
  const rows: BrowseRow[] = [];
  const walk = (nodeId: string, ids: readonly string[], names: readonly string[], level: number): void => {
    const children = state.children.get(nodeId);
    const statusKey = `${pathKey(ids)}\u0000#status`;
    if (!children || children.status === 'loading') {
      rows.push({ kind: 'loading', key: statusKey, level });
      return;
    }
    if (children.status === 'error') {
      rows.push({ kind: 'error', key: statusKey, level, message: children.message });
      return;
    }
    if (children.entries.length === 0) {
      rows.push({ kind: 'empty', key: statusKey, level });
      return;
    }
    for (const entry of children.entries) {
      const childIds = [...ids, entry.nodeId];
      const key = pathKey(childIds);
      const browsePath = [...names, entry.browseName];
      // A node that is its own ancestor is shown but cannot be opened again.
      const expandable = mayHaveChildren(entry) && !ids.includes(entry.nodeId);
      const expanded = expandable && state.expanded.has(key);
      rows.push({ kind: 'node', key, entry, level, browsePath, expandable, expanded });
      if (expanded) walk(entry.nodeId, childIds, browsePath, level + 1);
    }
  };
  walk(ROOT_KEY, [], [], 1);
  return rows;
}

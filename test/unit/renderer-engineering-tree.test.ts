import { describe, expect, it } from 'vitest';
import type { BrowseEntryDto } from '../../preload/contract.js';
import {
  emptyBrowseTree,
  isPickable,
  pathKey,
  ROOT_KEY,
  visibleRows,
  withChildren,
  withExpanded,
  type BrowseRow,
} from '../../renderer/engineering/browse-tree.js';

const folder = (id: string, name: string): BrowseEntryDto => ({
  nodeId: id,
  browseName: `1:${name}`,
  displayName: name,
  nodeClass: 'Object',
});
const variable = (id: string, name: string): BrowseEntryDto => ({
  nodeId: id,
  browseName: `1:${name}`,
  displayName: name,
  nodeClass: 'Variable',
  dataType: 'Double',
});
const summary = (rows: BrowseRow[]) =>
  rows.map((r) =>
    r.kind === 'node'
      ? `${r.level}:${r.entry.displayName}${r.expanded ? '-' : r.expandable ? '+' : ''}`
      : `${r.level}:(${r.kind})`,
  );

describe('browse tree', () => {
  it('shows loading until the Objects folder answers', () => {
    expect(summary(visibleRows(emptyBrowseTree))).toEqual(['1:(loading)']);
    expect(summary(visibleRows(withChildren(emptyBrowseTree, ROOT_KEY, { status: 'loading' })))).toEqual([
      '1:(loading)',
    ]);
    const failed = visibleRows(
      withChildren(emptyBrowseTree, ROOT_KEY, { status: 'error', message: 'DEVICE_OFFLINE: not connected' }),
    );
    expect(failed).toMatchObject([{ kind: 'error', message: 'DEVICE_OFFLINE: not connected' }]);
  });

  it('opens nodes lazily and keeps browse paths', () => {
    let s = withChildren(emptyBrowseTree, ROOT_KEY, {
      status: 'loaded',
      entries: [folder('s=SS01', 'SS01'), folder('s=Server', 'Server')],
    });
    expect(summary(visibleRows(s))).toEqual(['1:SS01+', '1:Server+']);
    s = withExpanded(s, pathKey(['s=SS01']), true);
    expect(summary(visibleRows(s))).toEqual(['1:SS01-', '2:(loading)', '1:Server+']);
    s = withChildren(s, 's=SS01', { status: 'loaded', entries: [folder('s=SS01.HX', 'HX')] });
    s = withExpanded(s, pathKey(['s=SS01', 's=SS01.HX']), true);
    s = withChildren(s, 's=SS01.HX', { status: 'loaded', entries: [variable('s=SS01.HX.T', 'T')] });
    const rows = visibleRows(s);
    expect(summary(rows)).toEqual(['1:SS01-', '2:HX-', '3:T', '1:Server+']);
    const leaf = rows[2]!;
    expect(leaf.kind === 'node' && leaf.browsePath).toEqual(['1:SS01', '1:HX', '1:T']);
    expect(leaf.kind === 'node' && isPickable(leaf.entry)).toBe(true);
    // Collapsing hides the subtree but keeps what was fetched.
    const closed = withExpanded(s, pathKey(['s=SS01']), false);
    expect(summary(visibleRows(closed))).toEqual(['1:SS01+', '1:Server+']);
    expect(summary(visibleRows(withExpanded(closed, pathKey(['s=SS01']), true)))).toEqual([
      '1:SS01-',
      '2:HX-',
      '3:T',
      '1:Server+',
    ]);
  });

  it('an empty node says so', () => {
    let s = withChildren(emptyBrowseTree, ROOT_KEY, { status: 'loaded', entries: [folder('a', 'A')] });
    s = withChildren(withExpanded(s, pathKey(['a']), true), 'a', { status: 'loaded', entries: [] });
    expect(summary(visibleRows(s))).toEqual(['1:A-', '2:(empty)']);
  });

  it('a reference back to an ancestor does not make the tree endless', () => {
    let s = withChildren(emptyBrowseTree, ROOT_KEY, { status: 'loaded', entries: [folder('a', 'A')] });
    s = withChildren(s, 'a', { status: 'loaded', entries: [folder('b', 'B')] });
    s = withChildren(s, 'b', { status: 'loaded', entries: [folder('a', 'A')] });
    s = withExpanded(s, pathKey(['a']), true);
    s = withExpanded(s, pathKey(['a', 'b']), true);
    s = withExpanded(s, pathKey(['a', 'b', 'a']), true);
    expect(summary(visibleRows(s))).toEqual(['1:A-', '2:B-', '3:A']);
  });
});

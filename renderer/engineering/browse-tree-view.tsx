/**
 * The address space of one OPC UA device as an ARIA tree: children are browsed when a node
 * is first opened. Keyboard: ↑/↓ move, → opens (or steps into), ← closes (or steps out),
 * Enter/Space picks a variable or opens a folder, Home/End jump.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { browseEntrySchema, type BrowseEntryDto } from '../../preload/contract.js';
import { validItems } from '../transport/loose-validate.js';
import { useStation } from '../app/station-context.js';
import {
  emptyBrowseTree,
  isPickable,
  ROOT_KEY,
  visibleRows,
  withChildren,
  withExpanded,
  type BrowseRow,
  type BrowseTreeState,
} from './browse-tree.js';
import { dataTypeName } from './tag-from-node.js';
import { useText } from '../i18n/language.js';
import { engineeringText } from './engineering-text.js';
import { useRefusal } from '../app/use-refusal.js';

function asEntries(x: unknown): BrowseEntryDto[] {
  return validItems(x, browseEntrySchema);
}

export interface PickedNode {
  readonly entry: BrowseEntryDto;
  /** Browse names from below Objects down to the node. */
  readonly browsePath: readonly string[];
}

type NodeRow = Extract<BrowseRow, { kind: 'node' }>;

const nodeClassMark: Record<string, string> = {
  Object: '▣',
  Variable: '◆',
  Method: 'ƒ',
  View: '▤',
  ObjectType: '▢',
  VariableType: '◇',
};

export interface BrowseTreeViewProps {
  readonly device: string;
  /** Whether the station is connected to the device: a tree that failed is browsed again once it is. */
  readonly connected: boolean;
  /** Bumped by the screen's "Browse again" button. */
  readonly reload: number;
  readonly selectedKey: string | null;
  readonly onPick: (node: PickedNode, key: string) => void;
}

export function BrowseTreeView({ device, connected, reload, selectedKey, onPick }: BrowseTreeViewProps) {
  const tt = useText(engineeringText);
  const refuse = useRefusal();
  const station = useStation();
  const [tree, setTree] = useState<BrowseTreeState>(emptyBrowseTree);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const rowEls = useRef(new Map<string, HTMLElement>());
  const treeEl = useRef<HTMLDivElement>(null);
  const deviceRef = useRef(device);
  deviceRef.current = device;

  const browse = useCallback(
    async (nodeId: string) => {
      const forDevice = device;
      setTree((t) => withChildren(t, nodeId, { status: 'loading' }));
      const reply = await station.transport.request(
        'opcua.browse',
        nodeId === ROOT_KEY ? { device } : { device, nodeId },
      );
      // The engineer may have picked another device meanwhile.
      if (deviceRef.current !== forDevice) return;
      setTree((t) =>
        withChildren(
          t,
          nodeId,
          reply.ok
            ? { status: 'loaded', entries: asEntries(reply.value) }
            : { status: 'error', message: refuse(reply.error) },
        ),
      );
    },
    [station, device],
  );

  useEffect(() => {
    setTree(emptyBrowseTree);
    setFocusKey(null);
    void browse(ROOT_KEY);
  }, [browse, reload]);

  // The device came (back) online: whatever failed to browse is tried again.
  const treeRef = useRef(tree);
  treeRef.current = tree;
  useEffect(() => {
    if (!connected) return;
    for (const [nodeId, children] of treeRef.current.children) if (children.status === 'error') void browse(nodeId);
  }, [connected, browse]);

  const rows = visibleRows(tree);
  const nodeRows = rows.filter((r): r is NodeRow => r.kind === 'node');
  const focusRow = nodeRows.find((r) => r.key === focusKey) ?? nodeRows[0];

  const setOpen = (row: NodeRow, open: boolean) => {
    if (!row.expandable) return;
    setTree((t) => withExpanded(t, row.key, open));
    const children = tree.children.get(row.entry.nodeId);
    if (open && (!children || children.status === 'error')) void browse(row.entry.nodeId);
  };

  const activate = (row: NodeRow) => {
    setFocusKey(row.key);
    if (isPickable(row.entry)) onPick({ entry: row.entry, browsePath: row.browsePath }, row.key);
    else setOpen(row, !row.expanded);
  };

  const moveFocus = (row: NodeRow | undefined) => {
    if (!row) return;
    setFocusKey(row.key);
    rowEls.current.get(row.key)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!focusRow) return;
    const i = nodeRows.indexOf(focusRow);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveFocus(nodeRows[i + 1]);
        break;
      case 'ArrowUp':
        moveFocus(nodeRows[i - 1]);
        break;
      case 'Home':
        moveFocus(nodeRows[0]);
        break;
      case 'End':
        moveFocus(nodeRows[nodeRows.length - 1]);
        break;
      case 'ArrowRight':
        if (focusRow.expandable && !focusRow.expanded) setOpen(focusRow, true);
        else if (focusRow.expanded && nodeRows[i + 1]?.level === focusRow.level + 1) moveFocus(nodeRows[i + 1]);
        break;
      case 'ArrowLeft':
        if (focusRow.expanded) setOpen(focusRow, false);
        else
          moveFocus(
            nodeRows
              .slice(0, i)
              .reverse()
              .find((r) => r.level === focusRow.level - 1),
          );
        break;
      case 'Enter':
      case ' ':
        activate(focusRow);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  return (
    <div
      className="browse-tree"
      role="tree"
      aria-label={tt('addressSpaceOf', { device })}
      ref={treeEl}
      onKeyDown={onKeyDown}
    >
      {rows.map((row) =>
        row.kind === 'node' ? (
          <div
            key={row.key}
            ref={(el) => {
              if (el) rowEls.current.set(row.key, el);
              else rowEls.current.delete(row.key);
            }}
            role="treeitem"
            aria-level={row.level}
            aria-expanded={row.expandable ? row.expanded : undefined}
            aria-selected={row.key === selectedKey}
            tabIndex={row === focusRow ? 0 : -1}
            className={`browse-node${row.key === selectedKey ? ' browse-selected' : ''}${isPickable(row.entry) ? ' browse-pickable' : ''}`}
            style={{ paddingLeft: `${(row.level - 1) * 18 + 4}px` }}
            data-testid="browse-node"
            data-node-id={row.entry.nodeId}
            data-node-class={row.entry.nodeClass}
            onClick={() => activate(row)}
            onFocus={() => setFocusKey(row.key)}
          >
            {row.expandable ? (
              <button
                type="button"
                tabIndex={-1}
                className="browse-expand"
                aria-label={row.expanded ? tt('close') : tt('open')}
                data-testid="browse-expand"
                onClick={(e) => {
                  e.stopPropagation();
                  setFocusKey(row.key);
                  setOpen(row, !row.expanded);
                }}
              >
                {row.expanded ? '▾' : '▸'}
              </button>
            ) : (
              <span className="browse-expand-space" aria-hidden="true" />
            )}
            <span className="browse-class" title={row.entry.nodeClass} aria-hidden="true">
              {nodeClassMark[row.entry.nodeClass] ?? '·'}
            </span>
            <span className="browse-name">{row.entry.displayName || row.entry.browseName}</span>
            {row.entry.nodeClass === 'Variable' ? (
              <span className="browse-facts">
                <span className="browse-type">{dataTypeName(row.entry.dataType) ?? '?'}</span>
                {row.entry.engineeringUnit ? <span className="browse-unit">{row.entry.engineeringUnit}</span> : null}
                <span className="browse-access" title={row.entry.writable ? 'writable' : 'read-only'}>
                  {row.entry.writable ? 'RW' : 'R'}
                </span>
              </span>
            ) : null}
          </div>
        ) : (
          <div
            key={row.key}
            role="none"
            className={`browse-status browse-status-${row.kind}`}
            style={{ paddingLeft: `${(row.level - 1) * 18 + 26}px` }}
          >
            {row.kind === 'error' ? (
              <span role="alert">{row.message}</span>
            ) : row.kind === 'loading' ? (
              tt('browsing')
            ) : (
              tt('noChildren')
            )}
          </div>
        ),
      )}
    </div>
  );
}

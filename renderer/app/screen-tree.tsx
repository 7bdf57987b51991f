/**
 * The screen tree (WAI-ARIA tree view): the display hierarchy, collapsible, operable by
 * keyboard alone — arrows move and open/close, Home/End jump, Enter or Space opens the
 * screen. One item is in the tab order (roving tabindex); the current screen is marked.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { routeHash, type Route } from './navigation.js';
import { expandedFor, isCurrentNode, routeKey, treeKeyAction, visibleRows, type TreeNode } from './hierarchy.js';
import { useText } from '../i18n/language.js';
import { hierarchyText } from './hierarchy-text.js';

export function ScreenTree({ tree, route }: { tree: readonly TreeNode[]; route: Route }) {
  const t = useText(hierarchyText);
  const [expanded, setExpanded] = useState<Set<string>>(() => expandedFor(tree, route));
  const current = routeKey(route);
  // Opening a screen elsewhere (tab, tile, breadcrumb, alarm) opens its branch here too.
  useEffect(() => {
    setExpanded((open) => {
      const need = expandedFor(tree, route);
      if ([...need].every((k) => open.has(k))) return open;
      return new Set([...open, ...need]);
    });
  }, [tree, route]);
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
  const [focused, setFocused] = useState<string | null>(null);
  const focusKey = rows.some((r) => r.node.key === focused)
    ? focused!
    : rows.some((r) => r.node.key === current)
      ? current!
      : (rows[0]?.node.key ?? '');
  const items = useRef(new Map<string, HTMLLIElement>());
  const [moved, setMoved] = useState(0);
  useEffect(() => {
    if (moved > 0) items.current.get(focusKey)?.focus();
  }, [moved, focusKey]);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const action = treeKeyAction(rows, focusKey, e.key);
    if (action.kind === 'none') return;
    e.preventDefault();
    e.stopPropagation();
    if (action.kind === 'focus') {
      setFocused(action.key);
      setMoved((n) => n + 1);
    } else if (action.kind === 'expand') setExpanded((open) => new Set([...open, action.key]));
    else if (action.kind === 'collapse') setExpanded((open) => new Set([...open].filter((k) => k !== action.key)));
    else window.location.hash = routeHash(action.route);
  };

  const toggle = (key: string) =>
    setExpanded((open) => (open.has(key) ? new Set([...open].filter((k) => k !== key)) : new Set([...open, key])));

  const render = (nodes: readonly TreeNode[], depth: number) =>
    nodes.map((node, i) => {
      const open = node.children.length > 0 && expanded.has(node.key);
      const here = isCurrentNode(node, route);
      return (
        <li
          key={node.key}
          ref={(el) => {
            if (el) items.current.set(node.key, el);
            else items.current.delete(node.key);
          }}
          role="treeitem"
          className="tree-item"
          aria-level={depth}
          aria-setsize={nodes.length}
          aria-posinset={i + 1}
          aria-expanded={node.children.length > 0 ? open : undefined}
          aria-selected={here}
          aria-current={here ? 'page' : undefined}
          tabIndex={node.key === focusKey ? 0 : -1}
          data-testid="tree-node"
          data-key={node.key}
          onFocus={(e) => {
            if (e.target === e.currentTarget) setFocused(node.key);
          }}
        >
          <div
            className="tree-row"
            style={{ paddingLeft: 6 + (depth - 1) * 14 }}
            onClick={() => {
              window.location.hash = routeHash(node.route);
            }}
          >
            <span
              className="tree-toggle"
              aria-hidden="true"
              onClick={(e) => {
                if (node.children.length === 0) return;
                e.stopPropagation();
                toggle(node.key);
              }}
            >
              {node.children.length === 0 ? '' : open ? '▾' : '▸'}
            </span>
            <span className="tree-label">{node.label}</span>
            <span className="tree-level" aria-hidden="true">
              L{node.level}
            </span>
          </div>
          {open ? <ul role="group">{render(node.children, depth + 1)}</ul> : null}
        </li>
      );
    });

  return (
    <nav className="screen-tree" id="screen-tree" aria-label={t('screenTree')} data-testid="screen-tree">
      <ul role="tree" aria-label={t('screenTree')} onKeyDown={onKeyDown}>
        {render(tree, 1)}
      </ul>
    </nav>
  );
}

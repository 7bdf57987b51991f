/**
 * Above every display: back and forward (also Alt+← / Alt+→), the breadcrumbs (Plant › SS03 ›
 * Pump 1), the display's heading — focused after every change of display, so a keyboard or
 * screen-reader user starts from it — the screens one level down, and the screen-tree toggle.
 */
import { useEffect, useRef, useState } from 'react';
import { navPositionAfter, routeHash, type NavPosition, type Route } from './navigation.js';
import { breadcrumbs, childrenOf, type TreeNode } from './hierarchy.js';
import { useText } from '../i18n/language.js';
import { hierarchyText } from './hierarchy-text.js';

/** Where the console is in its own history, kept in `history.state` so back/forward know their way. */
export function useNavPosition(): NavPosition {
  const [position, setPosition] = useState<NavPosition>(() => {
    const { position, stamp } = navPositionAfter({ at: -1, top: -1 }, window.history.state);
    if (stamp !== null)
      window.history.replaceState({ ...(window.history.state as object | null), argusNav: stamp }, '');
    return position;
  });
  useEffect(() => {
    const onHash = () =>
      setPosition((previous) => {
        const { position: next, stamp } = navPositionAfter(previous, window.history.state);
        if (stamp !== null)
          window.history.replaceState({ ...(window.history.state as object | null), argusNav: stamp }, '');
        return next;
      });
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return position;
}

export interface PlaceHeaderProps {
  readonly route: Route;
  readonly tree: readonly TreeNode[];
  /** The heading: the screen's title, or the place's name. */
  readonly title: string;
  readonly placeLabel: string;
  readonly level?: number | undefined;
  readonly treeShown: boolean;
  readonly onToggleTree: () => void;
  readonly position: NavPosition;
}

export function PlaceHeader({
  route,
  tree,
  title,
  placeLabel,
  level,
  treeShown,
  onToggleTree,
  position,
}: PlaceHeaderProps) {
  const t = useText(hierarchyText);
  const heading = useRef<HTMLHeadingElement>(null);
  const hash = routeHash(route);
  // Focus lands on the heading after every change of display (and after sign-in).
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [hash]);
  const crumbs = breadcrumbs(tree, route, placeLabel);
  const below = childrenOf(tree, route);
  return (
    <div className="place-head" data-testid="place-head">
      <span className="place-buttons">
        <button
          type="button"
          onClick={onToggleTree}
          aria-pressed={treeShown}
          title={t('showTreeTitle')}
          data-testid="tree-toggle"
          aria-controls="screen-tree"
        >
          ☰ {t('showTree')}
        </button>
        <button
          type="button"
          onClick={() => window.history.back()}
          disabled={position.at <= 0}
          title={t('backTitle')}
          aria-keyshortcuts="Alt+ArrowLeft"
          data-testid="nav-back"
        >
          ← {t('back')}
        </button>
        <button
          type="button"
          onClick={() => window.history.forward()}
          disabled={position.at >= position.top}
          title={t('forwardTitle')}
          aria-keyshortcuts="Alt+ArrowRight"
          data-testid="nav-forward"
        >
          {t('forward')} →
        </button>
      </span>
      <nav className="crumbs" aria-label={t('breadcrumbs')} data-testid="breadcrumbs">
        <ol>
          {crumbs.map((c, i) =>
            i === crumbs.length - 1 ? (
              <li key={routeHash(c.route)} aria-current="page" data-testid="breadcrumb">
                {c.label}
              </li>
            ) : (
              <li key={routeHash(c.route)} data-testid="breadcrumb">
                <a href={routeHash(c.route)}>{c.label}</a>
              </li>
            ),
          )}
        </ol>
      </nav>
      <h1 className="place-title" tabIndex={-1} ref={heading} data-testid="screen-heading">
        {title}
      </h1>
      {level !== undefined ? <span className="place-level">{t('level', { level })}</span> : null}
      <span className="place-spacer" />
      {below.length > 0 && below.length <= 8 ? (
        <ul className="place-children" aria-label={t('belowLabel')} data-testid="screen-children">
          <li aria-hidden="true" className="muted">
            {t('below')}
          </li>
          {below.map((n) => (
            <li key={n.key}>
              <a href={routeHash(n.route)} data-testid="child-link" data-key={n.key}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

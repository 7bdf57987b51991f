/**
 * What clicking a symbol or a value does, as a context the console fills in: a symbol opens
 * its equipment's faceplate, a value its trend. Without a provider a value opens the trend
 * screen (`#/trends?tags=…`) and a symbol the trend of its tags. Every symbol gets the same
 * handling from `useActivate`: click, Enter or Space, focusable, a button to assistive tech.
 */
import { createContext, useContext, useMemo, type KeyboardEvent, type MouseEvent } from 'react';
import { trendHash } from '../trends/trend-route.js';

export interface MimicActions {
  /** The equipment faceplate (`SS01.P1`), with the tags the symbol shows. */
  openFaceplate(equipment: string, tags: readonly string[]): void;
  /** The trend of these tags. */
  openTrend(tags: readonly string[]): void;
  /** Another screen (navigation buttons). */
  openScreen(id: string): void;
}

export const defaultMimicActions: MimicActions = {
  openFaceplate: (_equipment, tags) => {
    window.location.hash = trendHash(tags);
  },
  openTrend: (tags) => {
    window.location.hash = trendHash(tags);
  },
  openScreen: (id) => {
    window.location.hash = `#/screen/${id}`;
  },
};

export const MimicActionsContext = createContext<MimicActions>(defaultMimicActions);

export function useMimicActions(): MimicActions {
  return useContext(MimicActionsContext);
}

export interface ActivateProps {
  readonly role: 'button';
  readonly tabIndex: 0;
  readonly onClick: (e: MouseEvent) => void;
  readonly onKeyDown: (e: KeyboardEvent) => void;
  readonly 'data-activate': string;
}

/** What activating a symbol does: `faceplate` of an equipment, `trend` of tags, or `screen`. */
export type Activation =
  | { readonly kind: 'faceplate'; readonly equipment: string; readonly tags: readonly string[] }
  | { readonly kind: 'trend'; readonly tags: readonly string[] }
  | { readonly kind: 'screen'; readonly id: string };

export function runActivation(actions: MimicActions, a: Activation): void {
  if (a.kind === 'faceplate') actions.openFaceplate(a.equipment, a.tags);
  else if (a.kind === 'trend') actions.openTrend(a.tags);
  else actions.openScreen(a.id);
}

/** Props that make an element activate `a` on click, Enter or Space. */
export function useActivate(a: Activation | null): Partial<ActivateProps> {
  const actions = useMimicActions();
  const key =
    a === null
      ? ''
      : a.kind === 'screen'
        ? `screen:${a.id}`
        : a.kind === 'faceplate'
          ? `faceplate:${a.equipment}:${a.tags.join(',')}`
          : `trend:${a.tags.join(',')}`;
  return useMemo((): Partial<ActivateProps> => {
    if (a === null) return {};
    return {
      role: 'button',
      tabIndex: 0,
      'data-activate': a.kind,
      onClick: (e: MouseEvent) => {
        e.stopPropagation();
        runActivation(actions, a);
      },
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation();
        runActivation(actions, a);
      },
    };
    // `key` stands for `a`'s content: a new object with the same content keeps the handlers.
  }, [actions, key]);
}

/**
 * Console components as markup (react-dom/server) around a station model: a real TagStore
 * holding fresh values, the link up, the given tags loaded, a real clock, and the language
 * provider with no user signed in. Requests to the station are refused.
 * For the component tests in test/renderer/ (typechecked with them: test/renderer/tsconfig.json).
 */
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { StationContext } from '../../renderer/app/station-context.js';
import { TagStore } from '../../renderer/state/tag-store.js';
import { Clock } from '../../renderer/state/clock.js';
import type { Station, StationSnapshot } from '../../renderer/state/station.js';
import { LanguageProvider } from '../../renderer/i18n/language.js';

/** A tag's value as the station sent it; it is stamped and received at the time of the render. */
export interface FreshValue {
  readonly tag: string;
  readonly v: TagValueDto['v'];
  readonly q: TagValueDto['q'];
}

/** The markup of `element` inside a station holding `values`, with `tags` loaded. */
export function renderInStation(
  element: ReactElement,
  tags: readonly TagInfo[],
  values: readonly FreshValue[],
): string {
  const store = new TagStore(() => () => undefined);
  const now = Date.now();
  store.apply(values.map(({ tag, v, q }) => ({ tag, v, q, ts: now, rt: now })));
  store.flush();
  const snapshot: StationSnapshot = {
    auth: null,
    session: null,
    tags,
    tagsByName: new Map(tags.map((info) => [info.name, info])),
    screens: [],
    devices: [],
    loaded: true,
    loadError: null,
  };
  const station = {
    values: store,
    transport: {
      status: () => ({ phase: 'connected' }),
      onStatus: () => () => undefined,
      on: () => () => undefined,
      request: () => Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'test' } }),
    },
    subscribe: () => () => undefined,
    getSnapshot: () => snapshot,
  } as unknown as Station;
  return renderToStaticMarkup(
    createElement(
      StationContext,
      { value: { station, clock: new Clock() } },
      createElement(LanguageProvider, { user: null, children: element }),
    ),
  );
}

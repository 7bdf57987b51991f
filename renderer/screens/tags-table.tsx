/**
 * Every tag: name, description (English, Chinese on a second line), live value with unit,
 * quality in words, and the age of the source timestamp. A filter box narrows the list;
 * arrow keys move between rows, `/` jumps to the filter.
 */
import {
  memo,
  useCallback,
  useContext,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type FocusEvent,
  type KeyboardEvent,
  type Ref,
} from 'react';
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { StationContext, useConnected, useStation, useStationSnapshot } from '../app/station-context.js';
import { formatAge } from '../format/format-value.js';
import { valueView, type ValueView } from '../format/value-view.js';
import { reasonText } from '../format/quality.js';
import { LiveValue } from '../values/live-value.js';
import { openTrend } from '../values/trend-open.js';
import { TREND_KEY } from '../values/trend-link.js';
import { useWriteOpener } from '../faceplates/faceplate-access.js';
import { filterTags } from './tag-filter.js';
import { pickText } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { screensText } from './screens-text.js';
import { RowVisibility } from './row-visibility.js';

/** Rows drawn at once; beyond this the operator narrows the filter (thousands of live rows help no one). */
const MAX_ROWS = 500;
/**
 * From this many rows on, a row takes live values only while it is on screen (or near it):
 * the tags of the rows out of sight are not watched, so the station does not push them and
 * the console does not redraw them (500 rows of a 50-substation plant, ten values a second
 * each, for the 20 an operator sees). Shorter lists — a one-substation station has about 200
 * tags — are live throughout.
 */
const LIVE_ON_SCREEN_ONLY_FROM = 300;

const qualityWords = { Good: 'qGood', Uncertain: 'qUncertain', Bad: 'qBad', Stale: 'qStale' } as const;

interface RowProps {
  readonly info: TagInfo;
  readonly first: boolean;
}

/**
 * Rows are reachable by Tab at the first row, then by arrow keys (one tab stop for the whole
 * table). With `visibility`, a row is live only while on screen or while focus is in it;
 * otherwise it always is. Live or quiet, the row is the same `<tr>` (focus on it survives the
 * change) and its value cell the same focusable, clickable control: focusing a quiet value
 * wakes the row and focus moves to the live value in its place; clicking it acts at once.
 */
export const TagRow = memo(function TagRow({
  info,
  first,
  visibility,
}: RowProps & { visibility: RowVisibility | null }) {
  const [row, setRow] = useState<HTMLTableRowElement | null>(null);
  const [onScreen, setOnScreen] = useState(false);
  const [focusWithin, setFocusWithin] = useState(false);
  useEffect(() => (visibility && row ? visibility.watch(row, setOnScreen) : undefined), [visibility, row]);
  const live = !visibility || onScreen || focusWithin;
  // The quiet value had focus when the row woke: give it to the live value that replaced it.
  const refocusValue = useRef(false);
  useLayoutEffect(() => {
    if (!live || !refocusValue.current) return;
    refocusValue.current = false;
    row?.querySelector<HTMLElement>('.value-cell [data-tag]')?.focus();
  }, [live, row]);
  const wake = useCallback(() => {
    refocusValue.current = true;
    setFocusWithin(true);
  }, []);
  return (
    <TagRowView
      info={info}
      first={first}
      rowRef={setRow}
      live={live}
      onWake={wake}
      onFocus={() => setFocusWithin(true)}
      onBlur={(e) => {
        if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setFocusWithin(false);
      }}
    />
  );
});

/** A tag's latest value, followed only while `live` (a quiet row reads it when it renders). */
function useRowValue(tag: string, live: boolean): TagValueDto | undefined {
  const store = useStation().values;
  const subscribe = useCallback(
    (listener: () => void) => (live ? store.subscribe(tag, listener) : () => undefined),
    [store, tag, live],
  );
  const get = useCallback(() => store.get(tag), [store, tag]);
  return useSyncExternalStore(subscribe, get, get);
}

/** The 1 s clock while `live`; a quiet row's time is when it rendered. */
function useRowNow(live: boolean): number {
  const clock = useContext(StationContext)?.clock;
  if (!clock) throw new Error('tags table: StationContext is missing');
  const subscribe = useCallback(
    (listener: () => void) => (live ? clock.subscribe(listener) : () => undefined),
    [clock, live],
  );
  return useSyncExternalStore(subscribe, clock.get, clock.get);
}

/** One row, live or quiet: only the value cell's updates differ (a live value follows the tag). */
function TagRowView({
  info,
  first,
  rowRef,
  live,
  onWake,
  onFocus,
  onBlur,
}: RowProps & {
  rowRef: Ref<HTMLTableRowElement>;
  live: boolean;
  onWake: () => void;
  onFocus: () => void;
  onBlur: (e: FocusEvent<HTMLTableRowElement>) => void;
}) {
  const connected = useConnected();
  const lang = useLang();
  const t = useText(screensText);
  const value = useRowValue(info.name, live);
  const now = useRowNow(live);
  const view = valueView(info.name, value, info, now, connected, lang);
  const reason = view.quality === 'Bad' || view.quality === 'Uncertain' ? value?.r : undefined;
  return (
    <tr
      ref={rowRef}
      tabIndex={first ? 0 : -1}
      className={`tag-row row-${view.presentation.className}`}
      data-row-tag={info.name}
      data-live={live ? undefined : 'false'}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      <TagCells info={info} lang={lang} />
      <td className="num value-cell">
        {live ? <LiveValue tag={info.name} unit="column" /> : <QuietValue info={info} view={view} onWake={onWake} />}
      </td>
      <td className="unit-cell">{info.unit}</td>
      <td className={`quality-cell quality-${view.quality}`} title={view.tooltip}>
        {t(qualityWords[view.quality])}
        {reason ? <div className="reason">{reasonText(reason, lang)}</div> : null}
      </td>
      <td className="num age-cell">{value ? formatAge(now - value.ts, lang) : '—'}</td>
    </tr>
  );
}

/**
 * The value of a quiet row: its last value, not followed, but the same control as the live
 * value (the `data-tag` hook, focusable, click or Enter opens its trend, or for a value the
 * user may write the setpoint faceplate; T opens the trend). Focus wakes the row. A press of
 * the pointer does not take focus, so the click lands on this element and acts.
 */
function QuietValue({ info, view, onWake }: { info: TagInfo; view: ValueView; onWake: () => void }) {
  const openFaceplate = useWriteOpener(info.name, info);
  const activate = () => (openFaceplate ? openFaceplate() : openTrend([info.name]));
  const onKeyDown = (e: KeyboardEvent<HTMLSpanElement>) => {
    const trendKey = e.key.toLowerCase() === TREND_KEY && !e.altKey && !e.ctrlKey && !e.metaKey;
    if (trendKey || e.key === 'Enter' || (openFaceplate && e.key === ' ')) {
      e.preventDefault();
      e.stopPropagation();
      if (trendKey) openTrend([info.name]);
      else activate();
    }
  };
  return (
    <span className={`live ${view.presentation.className}`}>
      <span
        className={openFaceplate ? 'live-value writable' : 'live-value trendable'}
        data-tag={info.name}
        data-quality={view.quality}
        tabIndex={0}
        {...(openFaceplate
          ? { role: 'button', 'aria-haspopup': 'dialog' as const, 'data-writable': 'true' }
          : { role: 'link', 'data-trend': 'true' })}
        onMouseDown={(e) => e.preventDefault()}
        onClick={(e) => {
          e.preventDefault();
          activate();
        }}
        onKeyDown={onKeyDown}
        onFocus={onWake}
      >
        {view.unit ? (
          <>
            {view.value}
            <span className="live-unit-hidden"> {view.unit}</span>
          </>
        ) : (
          view.text
        )}
      </span>
    </span>
  );
}

function TagCells({ info, lang }: { info: TagInfo; lang: 'en' | 'zh' }) {
  return (
    <>
      <th scope="row" className="mono tag-name">
        {info.name}
        <div className="tag-device">{info.device}</div>
      </th>
      <td className="tag-desc">
        <div>{pickText(info.description, lang)}</div>
        {info.description.zh && info.description.en ? (
          <div className="desc-other" lang={lang === 'zh' ? 'en' : 'zh-CN'}>
            {pickText(info.description, lang === 'zh' ? 'en' : 'zh')}
          </div>
        ) : null}
      </td>
    </>
  );
}

export function TagsTable() {
  const { tags, loaded } = useStationSnapshot();
  const t = useText(screensText);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const matching = useMemo(() => filterTags(tags, deferredQuery), [tags, deferredQuery]);
  const shown = matching.slice(0, MAX_ROWS);
  const filterRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const long = shown.length >= LIVE_ON_SCREEN_ONLY_FROM;
  const visibility = useMemo(
    () => (long && scroller && typeof IntersectionObserver !== 'undefined' ? new RowVisibility(scroller) : null),
    [long, scroller],
  );
  useEffect(() => () => visibility?.dispose(), [visibility]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === '/' && document.activeElement !== filterRef.current) {
        e.preventDefault();
        filterRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rows = () => Array.from(bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr.tag-row') ?? []);
  const focusRow = (index: number) => {
    const all = rows();
    if (all.length === 0) return;
    all[Math.max(0, Math.min(all.length - 1, index))]?.focus();
  };

  const onFilterKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter') {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === 'Escape') {
      setQuery('');
    }
  };

  const onBodyKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const all = rows();
    const active = document.activeElement;
    // → from a row to its value (focus shows the quality reason), ← back to the row.
    if (e.key === 'ArrowRight' && active instanceof HTMLTableRowElement) {
      const value = active.querySelector<HTMLElement>('.value-cell [data-tag]');
      if (value) {
        e.preventDefault();
        value.focus();
      }
      return;
    }
    if (e.key === 'ArrowLeft' && active instanceof HTMLElement && !(active instanceof HTMLTableRowElement)) {
      const row = active.closest<HTMLTableRowElement>('tr.tag-row');
      if (row) {
        e.preventDefault();
        row.focus();
      }
      return;
    }
    const index = all.indexOf(active as HTMLTableRowElement);
    if (index < 0) return;
    const page = 15;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: all.length - 1,
    };
    const target = moves[e.key];
    if (target !== undefined) {
      e.preventDefault();
      if (e.key === 'ArrowUp' && index === 0) filterRef.current?.focus();
      else focusRow(target);
    }
  };

  return (
    <section className="panel tags-panel" aria-labelledby="tags-title">
      <div className="panel-head">
        <h1 id="tags-title" className="panel-title" tabIndex={-1}>
          {t('tags')}
        </h1>
        <label className="filter">
          <span>{t('filter')}</span>
          <input
            ref={filterRef}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onFilterKey}
            placeholder={t('filterPlaceholder')}
            aria-describedby="tags-count"
            data-testid="tags-filter"
          />
        </label>
        <span id="tags-count" className="muted">
          {matching.length === tags.length
            ? t('nTags', { n: tags.length })
            : t('nOfTags', { n: matching.length, total: tags.length })}
          {matching.length > MAX_ROWS ? t('firstOnly', { n: MAX_ROWS }) : ''}
        </span>
      </div>
      {!loaded ? <p className="muted">{t('loading')}</p> : null}
      <div className="table-scroll" ref={setScroller}>
        <table className="grid tags">
          <thead>
            <tr>
              <th scope="col">{t('tag')}</th>
              <th scope="col">{t('description')}</th>
              <th scope="col" className="num">
                {t('value')}
              </th>
              <th scope="col">{t('unit')}</th>
              <th scope="col">{t('quality')}</th>
              <th scope="col" className="num" title={t('ageHint')}>
                {t('age')}
              </th>
            </tr>
          </thead>
          <tbody ref={bodyRef} onKeyDown={onBodyKey} title={t('reasonHint')}>
            {shown.map((info, i) => (
              <TagRow key={info.name} info={info} first={i === 0} visibility={visibility} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

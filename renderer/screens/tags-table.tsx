/**
 * Every tag: name, description (English, Chinese on a second line), live value with unit,
 * quality in words, and the age of the source timestamp. A filter box narrows the list;
 * arrow keys move between rows, `/` jumps to the filter.
 */
import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { TagInfo } from '../../preload/contract.js';
import { useConnected, useNow, useStation, useStationSnapshot, useTagValue } from '../app/station-context.js';
import { formatAge } from '../format/format-value.js';
import { valueView } from '../format/value-view.js';
import { reasonText } from '../format/quality.js';
import { LiveValue } from '../values/live-value.js';
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
 * table). With `visibility`, a row is live only while on screen; otherwise it always is.
 */
const TagRow = memo(function TagRow({ info, first, visibility }: RowProps & { visibility: RowVisibility | null }) {
  const [row, setRow] = useState<HTMLTableRowElement | null>(null);
  const [onScreen, setOnScreen] = useState(false);
  useEffect(() => (visibility && row ? visibility.watch(row, setOnScreen) : undefined), [visibility, row]);
  return !visibility || onScreen ? (
    <LiveTagRow info={info} first={first} rowRef={setRow} />
  ) : (
    <QuietTagRow info={info} first={first} rowRef={setRow} />
  );
});

/** A row out of sight: its last value as it was, without listening for new ones. */
function QuietTagRow(props: RowProps & { rowRef: Ref<HTMLTableRowElement> }) {
  const value = useStation().values.get(props.info.name);
  return <TagRowView {...props} value={value} now={Date.now()} live={false} />;
}

function LiveTagRow(props: RowProps & { rowRef: Ref<HTMLTableRowElement> }) {
  const value = useTagValue(props.info.name);
  const now = useNow();
  return <TagRowView {...props} value={value} now={now} live />;
}

/** One row, live or quiet: only the value cell differs (a live value is clickable and follows the tag). */
function TagRowView({
  info,
  first,
  rowRef,
  value,
  now,
  live,
}: RowProps & {
  rowRef: Ref<HTMLTableRowElement>;
  value: ReturnType<typeof useTagValue>;
  now: number;
  live: boolean;
}) {
  const connected = useConnected();
  const lang = useLang();
  const t = useText(screensText);
  const view = valueView(info.name, value, info, now, connected, lang);
  const reason = view.quality === 'Bad' || view.quality === 'Uncertain' ? value?.r : undefined;
  return (
    <tr
      ref={rowRef}
      tabIndex={first ? 0 : -1}
      className={`tag-row row-${view.presentation.className}`}
      data-row-tag={info.name}
      data-live={live ? undefined : 'false'}
    >
      <TagCells info={info} lang={lang} />
      <td className="num value-cell">{live ? <LiveValue tag={info.name} unit="column" /> : view.value}</td>
      <td className="unit-cell">{info.unit}</td>
      <td className={`quality-cell quality-${view.quality}`} title={view.tooltip}>
        {t(qualityWords[view.quality])}
        {reason ? <div className="reason">{reasonText(reason, lang)}</div> : null}
      </td>
      <td className="num age-cell">{value ? formatAge(now - value.ts, lang) : '—'}</td>
    </tr>
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

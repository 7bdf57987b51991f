/**
 * One live value: the element every test and operator relies on. It carries `data-tag` and
 * `data-quality` (Good | Uncertain | Bad | Stale) and its text is the formatted value and
 * unit; the quality marker and label sit beside it. Outside its normal band (or past an
 * alarm limit) it is boxed with a ▲/▼ and the zone code (`data-zone`). It is focusable:
 * focus shows why it is not Good; click or Enter opens its trend, except for values the user
 * may write, which open the setpoint faceplate (their trend: the small trend button, or T).
 */
import {
  memo,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { TagValueDto } from '../../preload/contract.js';
import { useConnected, useTagInfo } from '../app/station-context.js';
import { useQuietValue } from './use-quiet-value.js';
import { valueLook } from './value-look.js';
import { DEFAULT_INTERVAL_MS, valueView } from '../format/value-view.js';
import { formatValue } from '../format/format-value.js';
import { langTag } from '../i18n/i18n.js';
import { analogScale, liveZone, type ZoneView } from '../format/analog-scale.js';
import { useLang, useText } from '../i18n/language.js';
import { QualityMarker, ZoneMarker } from './quality-marker.js';
import { useWriteOpener } from '../faceplates/faceplate-access.js';
import { useTagLimits } from './use-shared.js';
import { openTrend } from './trend-open.js';
import { trendHash } from '../trends/trend-route.js';
import { TREND_KEY } from './trend-link.js';
import { valuesText } from './values-text.js';
import './values.css';

export interface LiveValueProps {
  readonly tag: string;
  readonly label?: string;
  readonly className?: string;
  /** Short quality markers, for dense mimics. */
  readonly compact?: boolean;
  /**
   * `column`: the table has a unit column, so the unit is not shown again (it stays in the
   * element's text for screen readers and the `data-tag` hook, visually hidden).
   */
  readonly unit?: 'inline' | 'column';
}

function isTrendKey(e: KeyboardEvent): boolean {
  return e.key.toLowerCase() === TREND_KEY && !e.altKey && !e.ctrlKey && !e.metaKey;
}

/** The number (or state) as the value element shows it: with its unit, or alone where a column carries the unit. */
function shownText(formatted: { text: string; value: string; unit: string }, unit: 'inline' | 'column'): string {
  return unit === 'column' && formatted.unit ? formatted.value : formatted.text;
}

export const LiveValue = memo(function LiveValue({ tag, label, className, compact, unit = 'inline' }: LiveValueProps) {
  const info = useTagInfo(tag);
  const connected = useConnected();
  const lang = useLang();
  const t = useText(valuesText);
  const limits = useTagLimits(tag);
  const scale = useMemo(() => (info?.kind === 'analog' ? analogScale(info, limits) : null), [info, limits]);
  const [focused, setFocused] = useState<false | 'right' | 'left'>(false);
  // The explanation carries the value's age, which changes every second: it is written into
  // the DOM only while someone looks (pointer over it, or focus), not 1,000 times a second.
  const [hovered, setHovered] = useState(false);
  const textRef = useRef<HTMLSpanElement>(null);
  const intervalMs = info?.intervalMs ?? DEFAULT_INTERVAL_MS;
  const locale = langTag(lang);
  // A new value with the same look (quality, zone, reason) only changes the number: it is
  // written into the element's text node, without a render.
  const { value, nowMs: now } = useQuietValue(tag, {
    live: hovered || focused !== false,
    look: (v: TagValueDto | undefined, nowMs: number) => valueLook(v, nowMs, intervalMs, connected, scale),
    write: (v: TagValueDto | undefined) => {
      const node = textRef.current?.firstChild;
      const formatted = formatValue(v?.v, info, locale);
      // The unit's own element exists only where a column carries the unit and there is one.
      if (!node || node.nodeType !== 3 || (unit === 'column' && Boolean(formatted.unit) !== Boolean(view.unit)))
        return false;
      const text = shownText(formatted, unit);
      if (node.nodeValue !== text) node.nodeValue = text;
      return true;
    },
  });
  const view = valueView(tag, value, info, now, connected, lang);
  // React compares with the text it rendered last, not with what was written since: put back what it renders now.
  const rendered = shownText(view, unit);
  useLayoutEffect(() => {
    const node = textRef.current?.firstChild;
    if (node && node.nodeType === 3 && node.nodeValue !== rendered) node.nodeValue = rendered;
  });
  const zone: ZoneView | null = liveZone(value?.v, view.quality, scale);
  const popId = useId();
  // Writable values open the faceplate (click, Enter or Space) for users allowed to write.
  const openFaceplate = useWriteOpener(tag, info);
  const zoneText = zone?.abnormal
    ? zone.zone === 'low'
      ? t('zoneLow')
      : zone.zone === 'high'
        ? t('zoneHigh')
        : t('zoneLimit', { code: zone.code })
    : '';
  const explain = zoneText ? `${view.tooltip}\n${zoneText}` : view.tooltip;
  const focusProps = {
    tabIndex: 0,
    // Near the right edge the reason box opens to the left, so it stays on screen.
    onFocus: (e: FocusEvent) =>
      setFocused(e.currentTarget.getBoundingClientRect().left > window.innerWidth * 0.6 ? 'left' : 'right'),
    onBlur: () => setFocused(false),
    'aria-describedby': focused ? popId : undefined,
  };
  const actionProps = openFaceplate
    ? {
        role: 'button',
        'aria-haspopup': 'dialog' as const,
        'data-writable': 'true',
        onClick: openFaceplate,
        onKeyDown: (e: KeyboardEvent) => {
          if (isTrendKey(e)) {
            e.preventDefault();
            openTrend([tag]);
            return;
          }
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          e.stopPropagation();
          openFaceplate();
        },
        title: hovered ? `${explain}\n\n${t('writeHint')}` : undefined,
      }
    : {
        role: 'link',
        'data-trend': 'true',
        onClick: (e: MouseEvent) => {
          e.preventDefault();
          openTrend([tag]);
        },
        onKeyDown: (e: KeyboardEvent) => {
          if (e.key !== 'Enter' && !isTrendKey(e)) return;
          e.preventDefault();
          e.stopPropagation();
          openTrend([tag]);
        },
        title: hovered ? `${explain}\n\n${t('trendHint')}` : undefined,
      };
  const abnormal = zone?.abnormal ? ` v-abnormal v-zone-${zone.zone}` : '';
  return (
    <span
      className={`live ${view.presentation.className}${abnormal}${compact ? ' live-compact' : ''}${className ? ` ${className}` : ''}`}
      title={hovered ? explain : undefined}
      onPointerEnter={() => setHovered(true)}
      onPointerLeave={() => setHovered(false)}
    >
      {label ? <span className="live-label">{label}</span> : null}
      <span
        ref={textRef}
        className={openFaceplate ? 'live-value writable' : 'live-value trendable'}
        data-tag={tag}
        data-quality={view.quality}
        data-zone={zone ? zone.zone : undefined}
        {...focusProps}
        {...actionProps}
      >
        {unit === 'column' && view.unit ? (
          <>
            {view.value}
            <span className="live-unit-hidden"> {view.unit}</span>
          </>
        ) : (
          view.text
        )}
      </span>
      {zone?.abnormal ? <ZoneMarker zone={zone} compact={compact} title={zoneText} /> : null}
      <QualityMarker quality={view.quality} compact={compact} reason={view.reason} />
      {openFaceplate ? (
        <a
          className="live-trend"
          href={trendHash([tag])}
          tabIndex={-1}
          aria-label={t('openTrend', { tag })}
          title={t('openTrend', { tag })}
          data-testid="value-trend"
          data-tag-trend={tag}
        >
          <TrendGlyph />
        </a>
      ) : null}
      {focused ? (
        <span className={focused === 'left' ? 'live-pop live-pop-left' : 'live-pop'} role="tooltip" id={popId}>
          {explain}
        </span>
      ) : null}
    </span>
  );
});

function TrendGlyph() {
  return (
    <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" className="live-trend-glyph">
      <path d="M1 10 L4 6 L7 8 L11 2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

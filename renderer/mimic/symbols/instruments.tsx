/**
 * Values and instruments: a value with its label, a boxed readout, an ISA-5.1 transmitter
 * bubble (function letters over the loop number, the value beside), a moving-pointer analog
 * bar, a status lamp, a sparkline, and a label. Each live value is a `LiveValue` (click or
 * Enter: its trend; a writable one: its faceplate) with the alarm marker of its tag.
 */
import { memo, useState } from 'react';
import { useConnected, useTagInfo } from '../../app/station-context.js';
import { displayQuality } from '../../format/quality.js';
import { DEFAULT_INTERVAL_MS, valueView } from '../../format/value-view.js';
import { useLang, useText } from '../../i18n/language.js';
import { pickText } from '../../i18n/i18n.js';
import { useQuietValue } from '../../values/use-quiet-value.js';
import { useCheckedValue } from '../../values/use-checked-value.js';
import { LiveValue } from '../../values/live-value.js';
import { AnalogBar } from '../../values/analog-indicator.js';
import { SparklineAt } from '../../values/value-sparkline.js';
import { TagAlarmMarker } from '../../alarms/priority-marker.js';
import { useTagAlarm } from '../../alarms/alarm-context.js';
import { mimicText } from '../mimic-text.js';
import { lampState } from '../equipment-state.js';
import { useActivate } from '../mimic-actions.js';
import { HtmlAt, StateBadge, TagAlarmAt, type Of } from './common.js';

export const LabelSymbol = memo(function LabelSymbol({ element }: { element: Of<'label'> }) {
  const size = Math.max(15, element.size ?? 15);
  return (
    <text
      x={element.x}
      y={element.y}
      fontSize={size}
      className={size >= 16 ? 'mimic-label mimic-heading' : 'mimic-label'}
      data-symbol="label"
      data-state="static"
    >
      {element.text}
    </text>
  );
});

/**
 * A value element: the point (x, y) is the left end of its text baseline. `compact` when a
 * neighbour sits close to its right (the full STALE marker would run into it).
 */
export const ValueSymbol = memo(function ValueSymbol({ element, compact }: { element: Of<'value'>; compact: boolean }) {
  return (
    <HtmlAt x={element.x} y={element.y - 16} width={230} height={22} className="mimic-value">
      <TagAlarmMarker tag={element.tag} />
      <LiveValue tag={element.tag} label={element.label} compact={compact} />
    </HtmlAt>
  );
});

const READOUT_WIDTH = 150;

export const ReadoutSymbol = memo(function ReadoutSymbol({ element }: { element: Of<'readout'> }) {
  const { x, y } = element;
  const alarm = useTagAlarm(element.tag);
  const top = element.label ? y - 18 : y;
  return (
    <g
      className={`readout${alarm ? ' readout-alarm' : ''}`}
      data-symbol="readout"
      data-state={alarm ? 'alarm' : 'normal'}
      data-tag-ref={element.tag}
    >
      {element.label ? (
        <text x={x} y={y - 5} className="symbol-label">
          {element.label}
        </text>
      ) : null}
      <rect x={x} y={top + (element.label ? 18 : 0)} width={READOUT_WIDTH} height={24} rx={2} className="readout-box" />
      <HtmlAt x={x + 2} y={y + 1} width={READOUT_WIDTH - 4} height={22} className="mimic-value readout-value">
        <TagAlarmMarker tag={element.tag} />
        <LiveValue tag={element.tag} compact />
      </HtmlAt>
    </g>
  );
});

export const TransmitterSymbol = memo(function TransmitterSymbol({ element }: { element: Of<'transmitter'> }) {
  const t = useText(mimicText);
  const { x, y } = element;
  const r = 21;
  const info = useTagInfo(element.tag);
  const connected = useConnected();
  const lang = useLang();
  const alarm = useTagAlarm(element.tag);
  const activate = useActivate({ kind: 'trend', tags: [element.tag] });
  // The tooltip carries the value and its age: it is written only while the pointer is over
  // the bubble (then every change and tick renders it), not for every value of every bubble.
  const [hovered, setHovered] = useState(false);
  // The bubble's look follows the quality alone; a new value changes nothing else drawn.
  const { value, nowMs } = useQuietValue(element.tag, {
    live: hovered,
    look: (v, now) =>
      displayQuality({ value: v, nowMs: now, intervalMs: info?.intervalMs ?? DEFAULT_INTERVAL_MS, connected }),
    write: () => true,
  });
  const quality = displayQuality({ value, nowMs, intervalMs: info?.intervalMs ?? DEFAULT_INTERVAL_MS, connected });
  const heading = `${element.letters} ${element.number ?? ''}: ${element.tag}\n${t('activateTrend')}`;
  const title = hovered
    ? `${heading}\n\n${valueView(element.tag, value, info, nowMs, connected, lang).tooltip}`
    : heading;
  const state = alarm ? 'alarm' : quality === 'Good' ? 'normal' : 'unknown';
  return (
    <g
      className={`transmitter transmitter-${state}`}
      data-symbol="transmitter"
      data-state={state}
      data-tag-ref={element.tag}
    >
      <g
        {...activate}
        aria-label={`${element.letters} ${element.number ?? ''} ${element.tag}`}
        onPointerEnter={() => setHovered(true)}
        onPointerLeave={() => setHovered(false)}
      >
        <title>{title}</title>
        <circle cx={x} cy={y} r={r} className="transmitter-bubble" />
        {element.number ? <line x1={x - r} x2={x + r} y1={y} y2={y} className="transmitter-divider" /> : null}
        <text x={x} y={element.number ? y - 4 : y + 5} textAnchor="middle" className="transmitter-letters">
          {element.letters}
        </text>
        {element.number ? (
          <text x={x} y={y + 15} textAnchor="middle" className="transmitter-number">
            {element.number}
          </text>
        ) : null}
      </g>
      <HtmlAt x={x + r + 4} y={y - 11} width={200} height={22} className="mimic-value">
        <TagAlarmMarker tag={element.tag} />
        <LiveValue tag={element.tag} compact />
      </HtmlAt>
    </g>
  );
});

export const AnalogBarSymbol = memo(function AnalogBarSymbol({ element }: { element: Of<'analog-bar'> }) {
  const { x, y } = element;
  const length = element.length ?? 160;
  const vertical = element.orientation === 'vertical';
  const height = 22;
  return (
    <g className="analog-bar-symbol" data-symbol="analog-bar" data-state="normal" data-tag-ref={element.tag}>
      {element.label ? (
        <text x={x} y={y - 6} className="symbol-label">
          {element.label}
        </text>
      ) : null}
      <g transform={vertical ? `rotate(-90 ${x} ${y + length})` : undefined}>
        <AnalogBar
          tag={element.tag}
          x={vertical ? x : x}
          y={vertical ? y + length : y}
          width={length}
          height={height}
        />
      </g>
      <HtmlAt
        x={vertical ? x + height + 6 : x + length + 8}
        y={vertical ? y + length - 22 : y}
        width={200}
        height={22}
        className="mimic-value"
      >
        <TagAlarmMarker tag={element.tag} />
        <LiveValue tag={element.tag} compact />
      </HtmlAt>
    </g>
  );
});

export const LampSymbol = memo(function LampSymbol({ element }: { element: Of<'lamp'> }) {
  const t = useText(mimicText);
  const lang = useLang();
  const v = useCheckedValue(element.tag);
  const state = lampState(v, element.abnormal);
  const { x, y } = element;
  const label =
    v.info?.states && state !== 'unknown'
      ? pickText(v.value?.v === true || v.value?.v === 1 ? v.info.states.true : v.info.states.false, lang) || null
      : null;
  const text =
    state === 'unknown'
      ? t('unknown')
      : (
          label ?? (state === 'off' || (state === 'abnormal' && element.abnormal === false) ? t('off') : t('on'))
        ).toUpperCase();
  const activate = useActivate({ kind: 'trend', tags: [element.tag] });
  return (
    <g
      className={`lamp lamp-${state}`}
      data-symbol="lamp"
      data-state={state}
      data-tag-ref={element.tag}
      aria-label={t('stateOf', { label: element.label, state: text })}
      {...activate}
    >
      <title>{`${element.label}: ${text}\n${t('activateTrend')}\n\n${v.view.tooltip}`}</title>
      <circle cx={x} cy={y} r={9} className="lamp-body" />
      {state === 'abnormal' ? (
        <path d={`M${x},${y - 5} L${x},${y + 1} M${x},${y + 4} L${x},${y + 5}`} className="lamp-mark" />
      ) : null}
      <text x={x + 16} y={y + 5} className="symbol-label">
        {element.label}
      </text>
      <StateBadge x={x + 16 + element.label.length * 8.5 + 8} y={y + 4} text={text} state={state} anchor="start" />
      <TagAlarmAt tag={element.tag} x={x - 20} y={y} />
    </g>
  );
});

export const SparklineSymbol = memo(function SparklineSymbol({ element }: { element: Of<'sparkline'> }) {
  const { x, y } = element;
  const width = element.width ?? 160;
  const height = element.height ?? 36;
  return (
    <g className="spark-symbol" data-symbol="sparkline" data-state="normal" data-tag-ref={element.tag}>
      {element.label ? (
        <text x={x} y={y - 6} className="symbol-label">
          {element.label}
        </text>
      ) : null}
      <SparklineAt tag={element.tag} minutes={element.minutes ?? 60} x={x} y={y} width={width} height={height} />
    </g>
  );
});

export const NavButtonSymbol = memo(function NavButtonSymbol({
  element,
  title,
}: {
  element: Of<'nav-button'>;
  title: string | undefined;
}) {
  const t = useText(mimicText);
  const { x, y } = element;
  // Bold 15-unit text runs about 10 units a character (CJK about 16): room for it and the chevron.
  const textWidth = [...element.label].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 16 : 10), 0);
  const width = element.width ?? Math.max(90, textWidth + 40);
  const activate = useActivate({ kind: 'screen', id: element.screen });
  return (
    <g
      className="nav-button"
      data-symbol="nav-button"
      data-state="normal"
      data-screen-ref={element.screen}
      aria-label={t('goTo', { screen: title ?? element.screen })}
      {...activate}
    >
      <title>{t('goTo', { screen: title ?? element.screen })}</title>
      <rect x={x} y={y} width={width} height={30} rx={3} className="nav-button-box" />
      {/* A label longer than the button's room is condensed to fit rather than run under the chevron. */}
      <text
        x={x + 12}
        y={y + 20}
        className="nav-button-text"
        {...(textWidth > width - 36 ? { textLength: width - 36, lengthAdjust: 'spacingAndGlyphs' } : {})}
      >
        {element.label}
      </text>
      <path
        d={`M${x + width - 18},${y + 9} L${x + width - 10},${y + 15} L${x + width - 18},${y + 21}`}
        className="nav-button-chevron"
      />
    </g>
  );
});

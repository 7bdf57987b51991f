/** What every mimic symbol shares: HTML inside the SVG for live values, and the equipment key of a symbol. */
import type { ReactNode } from 'react';
import { equipmentKeyOfTag, isUnacked } from '../../alarms/alarm-view.js';
import { useTagAlarm } from '../../alarms/alarm-context.js';
import { PriorityMarker } from '../../alarms/priority-marker.js';
import type { LocalMimicElement } from '../element-text.js';

/** A symbol's element, its label already in the operator's language (element-text.ts). */
export type Of<K extends LocalMimicElement['kind']> = Extract<LocalMimicElement, { kind: K }>;

/** HTML inside the SVG, so live values are real text elements (selectable, testable, tooltips, focus). */
export function HtmlAt({
  x,
  y,
  width,
  height,
  children,
  className,
}: {
  x: number;
  y: number;
  width: number;
  height: number;
  children: ReactNode;
  className?: string;
}) {
  return (
    <foreignObject x={x} y={y} width={width} height={height} className="mimic-html">
      <div className={className}>{children}</div>
    </foreignObject>
  );
}

/** The equipment a symbol belongs to (`SS01.P1` from `SS01.P1.RUN`); its label when no tag says. */
export function equipmentOf(tags: readonly (string | undefined)[], label: string): string {
  for (const t of tags) {
    const key = t ? equipmentKeyOfTag(t) : null;
    if (key) return key;
  }
  return label;
}

export function definedTags(tags: readonly (string | undefined)[]): string[] {
  return tags.filter((t): t is string => typeof t === 'string' && t !== '');
}

/**
 * A state badge under or above a symbol: the state in words in a box (the box's look follows
 * the state class, so colour is never alone). SVG text: 15 screen units keeps it at 12 px or
 * more at 1366×768.
 */
export function StateBadge({
  x,
  y,
  text,
  state,
  anchor = 'middle',
}: {
  x: number;
  y: number;
  text: string;
  state: string;
  anchor?: 'start' | 'middle' | 'end';
}) {
  const width = Math.max(28, text.length * 9.5 + 10);
  const left = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
  return (
    <g className={`state-badge state-badge-${state}`} data-state-text={text}>
      <rect x={left} y={y - 13} width={width} height={18} rx={2} className="state-badge-box" />
      <text x={left + width / 2} y={y + 1} textAnchor="middle" className="state-badge-text">
        {text}
      </text>
    </g>
  );
}

/** Two strokes across a symbol: the shape cue of a trip (with the TRIP text and the alarm colour). */
export function TripCross({ x, y, r }: { x: number; y: number; r: number }) {
  const d = r * 0.8;
  return (
    <path d={`M${x - d},${y - d} L${x + d},${y + d} M${x + d},${y - d} L${x - d},${y + d}`} className="trip-cross" />
  );
}

/** The alarm marker of one tag, drawn in SVG at (x, y) (lamps, imported drawings). */
export function TagAlarmAt({ tag, x, y }: { tag: string; x: number; y: number }) {
  const alarm = useTagAlarm(tag);
  if (!alarm) return null;
  return (
    <g
      className="tag-alarm-svg"
      transform={`translate(${x - 12},${y - 12})`}
      data-alarm-tag={tag}
      data-alarm-priority={alarm.priority}
      data-alarm-state={alarm.state}
    >
      {/* 24 screen units: its number reads at 12 px on a mimic drawn at 0.84 (1366×768). */}
      <PriorityMarker priority={alarm.priority} blink={isUnacked(alarm)} size={24} />
    </g>
  );
}

/**
 * The alarm priority marker: colour AND shape AND number (1 = critical … 5 = diagnostic),
 * never colour alone. Drawn as SVG so it sits the same in HTML and inside a mimic. An
 * unacknowledged alarm's marker blinks; its text says UNACK next to it as well.
 */
import type { AlarmDto, AlarmPriorityDto } from '../../preload/contract.js';
import { useEquipmentAlarm, useTagAlarm } from './alarm-context.js';
import { isUnacked, priorityNumber, priorityShape } from './alarm-view.js';
import { useMemo } from 'react';
import { pickText } from '../i18n/i18n.js';
import { useLang } from '../i18n/language.js';
import { alarmWords } from './alarm-text.js';

const shapes: Readonly<
  Record<
    (typeof priorityShape)[AlarmPriorityDto],
    { el: 'rect' | 'polygon' | 'circle'; points?: string; textY: number }
  >
> = {
  square: { el: 'rect', textY: 14.5 },
  triangle: { el: 'polygon', points: '10,0.8 19.4,18.6 0.6,18.6', textY: 16.5 },
  diamond: { el: 'polygon', points: '10,0.5 19.5,10 10,19.5 0.5,10', textY: 14.5 },
  'inverted-triangle': { el: 'polygon', points: '0.6,1.4 19.4,1.4 10,19.2', textY: 12 },
  circle: { el: 'circle', textY: 14.5 },
};

function MarkerShape({ priority }: { priority: AlarmPriorityDto }) {
  const s = shapes[priorityShape[priority]];
  return (
    <>
      {s.el === 'rect' ? (
        <rect x={1} y={1} width={18} height={18} className="prio-shape" />
      ) : s.el === 'circle' ? (
        <circle cx={10} cy={10} r={9} className="prio-shape" />
      ) : (
        <polygon points={s.points} className="prio-shape" />
      )}
      <text x={10} y={s.textY} textAnchor="middle" className="prio-number">
        {priorityNumber(priority)}
      </text>
    </>
  );
}

export interface PriorityMarkerProps {
  readonly priority: AlarmPriorityDto;
  readonly blink?: boolean;
  readonly size?: number;
}

/** HTML-flow marker (banner, summary, filters). */
/** Priority, state and filter words in the console's language. */
export function useAlarmWords(): ReturnType<typeof alarmWords> {
  const lang = useLang();
  return useMemo(() => alarmWords(lang), [lang]);
}

/** The number inside is 12 units of a 20-unit box: at 20 px or more it reads at 12 px or more (the console's minimum). */
const MIN_MARKER_PX = 20;

export function PriorityMarker({ priority, blink, size: wanted = 20 }: PriorityMarkerProps) {
  const w = useAlarmWords();
  const size = Math.max(wanted, MIN_MARKER_PX);
  return (
    <svg
      className={`prio prio-${priority}${blink ? ' prio-blink' : ''}`}
      width={size}
      height={size}
      viewBox="0 0 20 20"
      role="img"
      aria-label={w.t('priorityN', { n: priorityNumber(priority), label: w.priority(priority) })}
      data-priority={priority}
    >
      <title>{w.t('priorityNTitle', { n: priorityNumber(priority), label: w.priority(priority) })}</title>
      <MarkerShape priority={priority} />
    </svg>
  );
}

function alarmTitle(a: AlarmDto, w: ReturnType<typeof alarmWords>, lang: ReturnType<typeof useLang>): string {
  return `${w.t('alarmTitle', { label: w.priority(a.priority), n: priorityNumber(a.priority), state: w.state(a.state), message: pickText(a.message, lang) })}\n${a.id}`;
}

/** Beside a live value of an alarmed tag (mimic, HTML inside the SVG). */
export function TagAlarmMarker({ tag }: { tag: string }) {
  const alarm = useTagAlarm(tag);
  const w = useAlarmWords();
  const lang = useLang();
  if (!alarm) return null;
  return (
    <span
      className="tag-alarm"
      data-alarm-tag={tag}
      data-alarm-priority={alarm.priority}
      data-alarm-state={alarm.state}
      title={alarmTitle(alarm, w, lang)}
    >
      <PriorityMarker priority={alarm.priority} blink={isUnacked(alarm)} size={15} />
    </span>
  );
}

/**
 * On an equipment symbol whose tags are in alarm (SVG, at the symbol's corner), 24 screen
 * units wide: its number reads at 12 px on a mimic drawn at 0.84 (1366×768).
 */
export function EquipmentAlarmMarker({ equipment, x, y }: { equipment: string | null; x: number; y: number }) {
  const alarm = useEquipmentAlarm(equipment);
  const w = useAlarmWords();
  const lang = useLang();
  if (!alarm) return null;
  return (
    <g
      className={`equipment-alarm prio prio-${alarm.priority}${isUnacked(alarm) ? ' prio-blink' : ''}`}
      transform={`translate(${x - 12},${y - 12}) scale(1.2)`}
      data-alarm-equipment={equipment ?? undefined}
      data-alarm-priority={alarm.priority}
      data-alarm-state={alarm.state}
    >
      <title>{alarmTitle(alarm, w, lang)}</title>
      <MarkerShape priority={alarm.priority} />
    </g>
  );
}

/**
 * Heat exchanger and tank. The plate heat exchanger shows its plates and the alarm marker of
 * its equipment; the tank its level (a fill from the bottom), the level in words, and a mark
 * at each alarm limit (LL, L, H, HH from the alarm configuration), so the operator sees how
 * close the level is to one.
 */
import { memo } from 'react';
import { useCheckedValue } from '../../values/use-checked-value.js';
import { EquipmentAlarmMarker } from '../../alarms/priority-marker.js';
import { useEquipmentAlarm } from '../../alarms/alarm-context.js';
import { LiveValue } from '../../values/live-value.js';
import { fractionOfRange, type LimitMark } from '../equipment-state.js';
import { useText } from '../../i18n/language.js';
import { mimicText, type MimicTextKey } from '../mimic-text.js';
import { useActivate } from '../mimic-actions.js';
import { useLimitMarks } from '../mimic-limits.js';
import { equipmentOf, HtmlAt, type Of } from './common.js';

export const HeatExchangerSymbol = memo(function HeatExchangerSymbol({ element }: { element: Of<'heat-exchanger'> }) {
  const t = useText(mimicText);
  const { x, y } = element;
  const w = 80;
  const h = 160;
  const tags = element.tags ?? [];
  const equipment = equipmentOf(tags, element.label);
  const alarm = useEquipmentAlarm(tags.length > 0 ? equipment : null);
  const activate = useActivate(tags.length > 0 ? { kind: 'faceplate', equipment, tags } : null);
  const plates = [];
  for (let px = x - w / 2 + 10; px < x + w / 2 - 4; px += 10) plates.push(px);
  return (
    <g
      className={`hx${alarm ? ' hx-alarm' : ''}`}
      data-symbol="heat-exchanger"
      data-state={alarm ? 'alarm' : 'normal'}
      data-equipment={equipment}
      aria-label={element.label}
      {...activate}
    >
      {tags.length > 0 ? <title>{`${element.label}\n${t('activateFaceplate')}`}</title> : null}
      <rect x={x - w / 2} y={y - h / 2} width={w} height={h} rx={3} className="hx-body" />
      {plates.map((px) => (
        <line key={px} x1={px} y1={y - h / 2 + 8} x2={px} y2={y + h / 2 - 8} className="hx-plate" />
      ))}
      <text x={x} y={y + 5} textAnchor="middle" className="symbol-label hx-label">
        {element.label}
      </text>
      <EquipmentAlarmMarker equipment={tags.length > 0 ? equipment : null} x={x + w / 2 - 2} y={y - h / 2 + 2} />
    </g>
  );
});

/** Room a symbol's side label needs; near the right edge it goes to the left instead. */
const SIDE_LABEL_ROOM = 110;
const limitCode: Readonly<Record<LimitMark['kind'], string>> = {
  'low-low': 'LL',
  low: 'L',
  high: 'H',
  'high-high': 'HH',
};

/** The tank's state against its limits: `low` / `high` past one (a level alarm also shows its marker). */
export function tankState(
  value: number | null,
  trusted: boolean,
  marks: readonly LimitMark[],
): 'normal' | 'low' | 'high' | 'unknown' {
  if (!trusted || value === null) return 'unknown';
  for (const m of marks) {
    if ((m.kind === 'low' || m.kind === 'low-low') && value <= m.value) return 'low';
    if ((m.kind === 'high' || m.kind === 'high-high') && value >= m.value) return 'high';
  }
  return 'normal';
}

export const TankSymbol = memo(function TankSymbol({
  element,
  screenWidth,
}: {
  element: Of<'tank'>;
  screenWidth: number;
}) {
  const t = useText(mimicText);
  const level = useCheckedValue(element.levelTag);
  const range = level.info?.range ?? [0, 100];
  const fraction = fractionOfRange(level.value?.v, range);
  const trusted = level.quality === 'Good';
  const marks = useLimitMarks(element.levelTag);
  const v = typeof level.value?.v === 'number' ? level.value.v : null;
  const state = tankState(v, trusted, marks);
  const { x, y } = element;
  const w = 60;
  const h = 80;
  const inner = h - 8;
  const leftSide = x + w / 2 + SIDE_LABEL_ROOM > screenWidth;
  const labelX = leftSide ? x - w / 2 - 8 : x + w / 2 + 8;
  const equipment = equipmentOf([element.levelTag], element.label);
  const activate = useActivate({ kind: 'faceplate', equipment, tags: [element.levelTag] });
  const yOf = (value: number) => y + h / 2 - 4 - inner * (fractionOfRange(value, range) ?? 0);
  return (
    <g
      className={`tank tank-${state}${trusted ? '' : ' tank-untrusted'}`}
      data-symbol="tank"
      data-state={state}
      data-equipment={equipment}
      aria-label={element.label}
      {...activate}
    >
      <title>{`${element.label}\n${t('activateFaceplate')}\n\n${level.view.tooltip}`}</title>
      <rect x={x - w / 2} y={y - h / 2} width={w} height={h} rx={14} className="tank-body" />
      {fraction !== null ? (
        <rect
          x={x - w / 2 + 6}
          y={y + h / 2 - 4 - inner * fraction}
          width={w - 12}
          height={inner * fraction}
          className={trusted ? 'tank-level' : 'tank-level bar-untrusted'}
        />
      ) : null}
      {marks.map((m) => {
        // On the side away from the label: the label's side is taken.
        const edge = leftSide ? x + w / 2 : x - w / 2;
        const out = leftSide ? 1 : -1;
        return (
          <g key={m.kind} className={`tank-limit tank-limit-${m.kind}`} data-limit={m.kind} data-limit-value={m.value}>
            <line
              x1={edge + out * 4}
              x2={edge - out * 14}
              y1={yOf(m.value)}
              y2={yOf(m.value)}
              className="tank-limit-line"
            />
            <text
              x={edge + out * 6}
              y={yOf(m.value) + 5}
              textAnchor={leftSide ? 'start' : 'end'}
              className="tank-limit-text"
            >
              {limitCode[m.kind]}
            </text>
          </g>
        );
      })}
      <text x={labelX} y={y - 10} className="symbol-label" textAnchor={leftSide ? 'end' : 'start'}>
        {element.label.split(' ').map((word, i) => (
          <tspan key={i} x={labelX} dy={i === 0 ? 0 : 16}>
            {word}
          </tspan>
        ))}
      </text>
      <EquipmentAlarmMarker equipment={equipment} x={leftSide ? x - w / 2 - 12 : x + w / 2 + 12} y={y + h / 2 - 10} />
    </g>
  );
});

const METER_WIDTH = 230;

/** A meter's lines are named by the last part of the tag name (`SS01.HM.POWER` → POWER). */
export function meterLineLabel(tag: string): string {
  const last = tag.split('.').pop() ?? tag;
  return last.replace(/_/g, ' ');
}

const meterWords: Readonly<Record<string, MimicTextKey>> = {
  POWER: 'meter_POWER',
  ENERGY: 'meter_ENERGY',
  FLOW: 'meter_FLOW',
  VOLUME: 'meter_VOLUME',
  VOLTAGE: 'meter_VOLTAGE',
};

export const MeterSymbol = memo(function MeterSymbol({
  element,
  screenWidth,
}: {
  element: Of<'meter'>;
  screenWidth: number;
}) {
  const t = useText(mimicText);
  const height = 26 + 21 * element.tags.length;
  // Keep the box on the screen even when it is placed near the right edge.
  const x = Math.max(0, Math.min(element.x, screenWidth - METER_WIDTH - 4));
  const equipment = equipmentOf(element.tags, element.label);
  return (
    <g className="meter" data-symbol="meter" data-state="normal" data-equipment={equipment}>
      <rect x={x} y={element.y} width={METER_WIDTH} height={height} rx={3} className="meter-body" />
      <HtmlAt x={x + 6} y={element.y + 2} width={METER_WIDTH - 12} height={height - 4} className="meter-html">
        <div className="meter-title">{element.label}</div>
        {element.tags.map((tag) => (
          <div key={tag} className="meter-line">
            <LiveValue
              tag={tag}
              label={meterWords[meterLineLabel(tag)] ? t(meterWords[meterLineLabel(tag)]!) : meterLineLabel(tag)}
            />
          </div>
        ))}
      </HtmlAt>
      <EquipmentAlarmMarker equipment={equipment} x={x + METER_WIDTH - 2} y={element.y + 2} />
    </g>
  );
});

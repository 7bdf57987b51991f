/**
 * The mimic symbols, drawn in the screen's own coordinates (the SVG viewBox scales them).
 * ISA-101 high-performance style: grey equipment, dark-grey text, colour only for abnormal
 * states, and every state also spelled out in text or shape.
 */
import type { ReactNode } from 'react';
import type { MimicElementDto } from '../../preload/contract.js';
import { useCheckedValue } from '../values/use-checked-value.js';
import { LiveValue } from '../values/live-value.js';
import { QualityMarker } from '../values/quality-marker.js';
import { fractionOfRange, pumpState, pumpStateText } from './equipment-state.js';
import { flowArrows, type Point } from './geometry.js';
import { EquipmentAlarmMarker, TagAlarmMarker } from '../alarms/priority-marker.js';
import { equipmentKeyOfTag } from '../alarms/alarm-view.js';

type Of<K extends MimicElementDto['kind']> = Extract<MimicElementDto, { kind: K }>;

/** HTML inside the SVG, so live values are real text elements (selectable, testable, tooltips). */
function HtmlAt({ x, y, width, height, children, className }: { x: number; y: number; width: number; height: number; children: ReactNode; className?: string }) {
  return (
    <foreignObject x={x} y={y} width={width} height={height} className="mimic-html">
      <div className={className}>{children}</div>
    </foreignObject>
  );
}

export function PipeSymbol({ element }: { element: Of<'pipe'> }) {
  const points = element.points as readonly Point[];
  const d = points.map((p) => `${p[0]},${p[1]}`).join(' ');
  return (
    <g className={`pipe pipe-${element.medium}`}>
      <polyline points={d} className="pipe-line" />
      {flowArrows(points).map((a, i) => (
        <path key={i} d="M-5,-5 L3,0 L-5,5" className="pipe-arrow" transform={`translate(${a.x},${a.y}) rotate(${a.angle})`} />
      ))}
    </g>
  );
}

export function LabelSymbol({ element }: { element: Of<'label'> }) {
  const size = element.size ?? 12;
  return (
    <text x={element.x} y={element.y} fontSize={size} className={size >= 14 ? 'mimic-label mimic-heading' : 'mimic-label'}>
      {element.text}
    </text>
  );
}

/**
 * A value element: the point (x, y) is the left end of its text baseline. `compact` when a
 * neighbour sits close to its right (the full STALE marker would run into it).
 */
export function ValueSymbol({ element, compact }: { element: Of<'value'>; compact: boolean }) {
  return (
    <HtmlAt x={element.x} y={element.y - 14} width={220} height={18} className="mimic-value">
      <TagAlarmMarker tag={element.tag} />
      <LiveValue tag={element.tag} label={element.label} compact={compact} />
    </HtmlAt>
  );
}

export function PumpSymbol({ element, angle }: { element: Of<'pump'>; angle: number }) {
  const run = useCheckedValue(element.runTag);
  const fault = useCheckedValue(element.faultTag);
  const state = pumpState(run, element.faultTag ? fault : null);
  const { x, y } = element;
  // The marker explains an unknown state: the worse of the run and fault qualities.
  const shownQuality = state !== 'unknown' ? 'Good' : run.quality !== 'Good' || !element.faultTag ? run.quality : fault.quality;
  const tooltip = [run.view.tooltip, element.faultTag ? fault.view.tooltip : ''].filter(Boolean).join('\n\n');
  return (
    <g className={`pump pump-${state}`} data-symbol="pump" data-state={state} data-run-tag={element.runTag}>
      <title>{`${element.label}: ${state}\n\n${tooltip}`}</title>
      <circle cx={x} cy={y} r={16} className="pump-body" />
      <path d="M-7,-9 L10,0 L-7,9 Z" className="pump-arrow" transform={`translate(${x},${y}) rotate(${angle})`} />
      <HtmlAt x={x - 100} y={y - 38} width={200} height={18} className="symbol-state">
        <span className="symbol-caption">{element.label}</span>
        <span className={`state-text state-${state}`}>{pumpStateText[state]}</span>
        <QualityMarker quality={shownQuality} compact />
      </HtmlAt>
      <EquipmentAlarmMarker equipment={equipmentKeyOfTag(element.runTag)} x={x - 22} y={y + 14} />
    </g>
  );
}

export function ValveSymbol({ element, angle }: { element: Of<'valve'>; angle: number }) {
  const pos = useCheckedValue(element.positionTag);
  const fraction = fractionOfRange(pos.value?.v, pos.info?.range ?? [0, 100]);
  const trusted = pos.quality === 'Good';
  const { x, y } = element;
  const barWidth = 36;
  return (
    <g className={`valve${trusted ? '' : ' valve-untrusted'}`} data-symbol="valve">
      <title>{`${element.label}: position\n\n${pos.view.tooltip}`}</title>
      <g transform={`translate(${x},${y}) rotate(${angle})`}>
        <path d="M-14,-9 L-14,9 L0,0 Z M14,-9 L14,9 L0,0 Z" className="valve-body" />
      </g>
      <line x1={x} y1={y} x2={x} y2={y - 14} className="valve-stem" />
      <path d={`M${x - 9},${y - 14} A9,9 0 0 1 ${x + 9},${y - 14} Z`} className="valve-actuator" />
      <text x={x + 14} y={y - 14} className="symbol-label">
        {element.label}
      </text>
      <rect x={x - barWidth / 2} y={y + 14} width={barWidth} height={6} className="bar-frame" />
      {fraction !== null ? (
        <rect x={x - barWidth / 2} y={y + 14} width={barWidth * fraction} height={6} className={trusted ? 'bar-fill' : 'bar-fill bar-untrusted'} />
      ) : null}
      <HtmlAt x={x - barWidth / 2} y={y + 21} width={160} height={18} className="mimic-value symbol-value">
        <LiveValue tag={element.positionTag} label="open" compact />
      </HtmlAt>
      <EquipmentAlarmMarker equipment={equipmentKeyOfTag(element.positionTag)} x={x - 24} y={y - 14} />
    </g>
  );
}

export function HeatExchangerSymbol({ element }: { element: Of<'heat-exchanger'> }) {
  const { x, y } = element;
  const w = 80;
  const h = 160;
  const plates = [];
  for (let px = x - w / 2 + 10; px < x + w / 2 - 4; px += 10) plates.push(px);
  return (
    <g className="hx" data-symbol="heat-exchanger">
      <rect x={x - w / 2} y={y - h / 2} width={w} height={h} rx={3} className="hx-body" />
      {plates.map((px) => (
        <line key={px} x1={px} y1={y - h / 2 + 8} x2={px} y2={y + h / 2 - 8} className="hx-plate" />
      ))}
      <text x={x} y={y + 4} textAnchor="middle" className="symbol-label hx-label">
        {element.label}
      </text>
    </g>
  );
}

/** Room a symbol's side label needs; near the right edge it goes to the left instead. */
const SIDE_LABEL_ROOM = 110;

export function TankSymbol({ element, screenWidth }: { element: Of<'tank'>; screenWidth: number }) {
  const level = useCheckedValue(element.levelTag);
  const fraction = fractionOfRange(level.value?.v, level.info?.range ?? [0, 100]);
  const trusted = level.quality === 'Good';
  const { x, y } = element;
  const w = 60;
  const h = 80;
  const inner = h - 8;
  const leftSide = x + w / 2 + SIDE_LABEL_ROOM > screenWidth;
  const labelX = leftSide ? x - w / 2 - 6 : x + w / 2 + 6;
  return (
    <g className={`tank${trusted ? '' : ' tank-untrusted'}`} data-symbol="tank">
      <title>{`${element.label}: level\n\n${level.view.tooltip}`}</title>
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
      <text x={labelX} y={y - 6} className="symbol-label" textAnchor={leftSide ? 'end' : 'start'}>
        {element.label.split(' ').map((word, i) => (
          <tspan key={i} x={labelX} dy={i === 0 ? 0 : 14}>
            {word}
          </tspan>
        ))}
      </text>
      <EquipmentAlarmMarker equipment={equipmentKeyOfTag(element.levelTag)} x={x - w / 2 - 12} y={y - h / 2 + 10} />
    </g>
  );
}

const METER_WIDTH = 180;

/** A meter's lines are named by the last part of the tag name (`SS01.HM.POWER` → POWER). */
export function meterLineLabel(tag: string): string {
  const last = tag.split('.').pop() ?? tag;
  return last.replace(/_/g, ' ');
}

export function MeterSymbol({ element, screenWidth }: { element: Of<'meter'>; screenWidth: number }) {
  const height = 24 + 19 * element.tags.length;
  // Keep the box on the screen even when it is placed near the right edge.
  const x = Math.max(0, Math.min(element.x, screenWidth - METER_WIDTH - 4));
  return (
    <g className="meter" data-symbol="meter">
      <rect x={x} y={element.y} width={METER_WIDTH} height={height} rx={3} className="meter-body" />
      <HtmlAt x={x + 6} y={element.y + 2} width={METER_WIDTH - 12} height={height - 4} className="meter-html">
        <div className="meter-title">{element.label}</div>
        {element.tags.map((tag) => (
          <div key={tag} className="meter-line">
            <LiveValue tag={tag} label={meterLineLabel(tag)} />
          </div>
        ))}
      </HtmlAt>
    </g>
  );
}

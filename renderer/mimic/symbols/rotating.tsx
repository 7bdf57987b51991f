/**
 * Rotating equipment: pump, fan, motor. Running: a dark body (pump arrow, fan blades light);
 * stopped: a light body; tripped: an outlined body in the alarm colour, crossed, with TRIP;
 * unknown: dashed with "?". The pump's arrow points the way its pipe flows (or `rotation`).
 */
import { memo } from 'react';
import { useCheckedValue } from '../../values/use-checked-value.js';
import { EquipmentAlarmMarker } from '../../alarms/priority-marker.js';
import { useText } from '../../i18n/language.js';
import { mimicText } from '../mimic-text.js';
import { pumpState, pumpStateKey, type PumpState } from '../equipment-state.js';
import { useActivate } from '../mimic-actions.js';
import { definedTags, equipmentOf, StateBadge, TripCross, type Of } from './common.js';

type RotatingElement = Of<'pump'> | Of<'fan'> | Of<'motor'>;

const R = 18;

function Glyph({ kind, x, y, angle }: { kind: RotatingElement['kind']; x: number; y: number; angle: number }) {
  if (kind === 'pump')
    return (
      <path
        d="M-8,-10 L11,0 L-8,10 Z"
        className="rot-glyph pump-arrow"
        transform={`translate(${x},${y}) rotate(${angle})`}
      />
    );
  if (kind === 'fan') {
    const blade = 'M0,0 C4,-4 12,-6 14,-1 C10,1 5,2 0,0 Z';
    return (
      <g className="rot-glyph fan-blades" transform={`translate(${x},${y}) rotate(${angle})`}>
        <path d={blade} />
        <path d={blade} transform="rotate(120)" />
        <path d={blade} transform="rotate(240)" />
      </g>
    );
  }
  return (
    <text x={x} y={y + 6} textAnchor="middle" className="rot-glyph motor-letter">
      M
    </text>
  );
}

export const RotatingSymbol = memo(function RotatingSymbol({
  element,
  angle,
}: {
  element: RotatingElement;
  angle: number;
}) {
  const t = useText(mimicText);
  const run = useCheckedValue(element.runTag);
  const fault = useCheckedValue(element.faultTag);
  const state: PumpState = pumpState(run, element.faultTag ? fault : null);
  const { x, y, kind } = element;
  const tags = definedTags([element.runTag, element.faultTag, element.speedTag]);
  const equipment = equipmentOf(tags, element.label);
  const activate = useActivate({ kind: 'faceplate', equipment, tags });
  const stateText = t(pumpStateKey[state]);
  const tooltip = [run.view.tooltip, element.faultTag ? fault.view.tooltip : ''].filter(Boolean).join('\n\n');
  return (
    <g
      className={`rotating ${kind} ${kind}-${state} rot-${state}`}
      data-symbol={kind}
      data-state={state}
      data-run-tag={element.runTag}
      data-equipment={equipment}
      aria-label={t('stateOf', { label: element.label, state: stateText })}
      {...activate}
    >
      <title>{`${element.label}: ${stateText}\n${t('activateFaceplate')}\n\n${tooltip}`}</title>
      {kind === 'motor' ? (
        <rect x={x - R} y={y - R} width={2 * R} height={2 * R} rx={6} className="rot-body" />
      ) : (
        <circle cx={x} cy={y} r={R} className="rot-body" />
      )}
      {state === 'tripped' ? <TripCross x={x} y={y} r={R} /> : <Glyph kind={kind} x={x} y={y} angle={angle} />}
      <text x={x} y={y - R - 22} textAnchor="middle" className="symbol-label">
        {element.label}
      </text>
      <StateBadge x={x} y={y - R - 4} text={stateText} state={state} />
      <EquipmentAlarmMarker equipment={equipment} x={x - R - 8} y={y + R - 2} />
    </g>
  );
});

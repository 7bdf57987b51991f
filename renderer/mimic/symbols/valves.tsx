/**
 * Valves. A control valve: a bow-tie along its pipe, an actuator, a position bar and the
 * position value (`data-state` closed / throttling / open / unknown). An on/off valve: hollow
 * when open, filled when closed, half filled while travelling, crossed in the alarm colour with
 * TRIP on a fault, dashed with "?" when not known; the state always also in words.
 */
import { memo } from 'react';
import { useCheckedValue } from '../../values/use-checked-value.js';
import { LiveValue } from '../../values/live-value.js';
import { EquipmentAlarmMarker } from '../../alarms/priority-marker.js';
import { useText } from '../../i18n/language.js';
import { mimicText } from '../mimic-text.js';
import { fractionOfRange, onOffValveState, onOffValveStateKey } from '../equipment-state.js';
import { useActivate } from '../mimic-actions.js';
import { definedTags, equipmentOf, HtmlAt, StateBadge, TripCross, type Of } from './common.js';

const BOWTIE = 'M-15,-10 L-15,10 L0,0 Z M15,-10 L15,10 L0,0 Z';

export function controlValveState(
  fraction: number | null,
  trusted: boolean,
): 'closed' | 'throttling' | 'open' | 'unknown' {
  if (!trusted || fraction === null) return 'unknown';
  if (fraction <= 0.01) return 'closed';
  if (fraction >= 0.99) return 'open';
  return 'throttling';
}

export const ValveSymbol = memo(function ValveSymbol({ element, angle }: { element: Of<'valve'>; angle: number }) {
  const t = useText(mimicText);
  const pos = useCheckedValue(element.positionTag);
  const fraction = fractionOfRange(pos.value?.v, pos.info?.range ?? [0, 100]);
  const trusted = pos.quality === 'Good';
  const state = controlValveState(fraction, trusted);
  const { x, y } = element;
  const barWidth = 40;
  const equipment = equipmentOf([element.positionTag], element.label);
  const activate = useActivate({ kind: 'faceplate', equipment, tags: [element.positionTag] });
  return (
    <g
      className={`valve valve-${state}${trusted ? '' : ' valve-untrusted'}`}
      data-symbol="valve"
      data-state={state}
      data-equipment={equipment}
      aria-label={element.label}
      {...activate}
    >
      <title>{`${element.label}: ${t('positionOpen')}\n${t('activateFaceplate')}\n\n${pos.view.tooltip}`}</title>
      <g transform={`translate(${x},${y}) rotate(${angle})`}>
        <path d={BOWTIE} className="valve-body" />
      </g>
      <line x1={x} y1={y} x2={x} y2={y - 15} className="valve-stem" />
      <path d={`M${x - 10},${y - 15} A10,10 0 0 1 ${x + 10},${y - 15} Z`} className="valve-actuator" />
      <text x={x + 15} y={y - 15} className="symbol-label">
        {element.label}
      </text>
      <rect x={x - barWidth / 2} y={y + 15} width={barWidth} height={7} className="bar-frame" />
      {fraction !== null ? (
        <rect
          x={x - barWidth / 2}
          y={y + 15}
          width={barWidth * fraction}
          height={7}
          className={trusted ? 'bar-fill' : 'bar-fill bar-untrusted'}
        />
      ) : null}
      <HtmlAt x={x - barWidth / 2} y={y + 23} width={170} height={22} className="mimic-value symbol-value">
        <LiveValue tag={element.positionTag} label={t('positionOpen')} compact />
      </HtmlAt>
      <EquipmentAlarmMarker equipment={equipment} x={x - 26} y={y - 15} />
    </g>
  );
});

export const OnOffValveSymbol = memo(function OnOffValveSymbol({
  element,
  angle,
}: {
  element: Of<'on-off-valve'>;
  angle: number;
}) {
  const t = useText(mimicText);
  const open = useCheckedValue(element.openTag);
  const closed = useCheckedValue(element.closedTag);
  const fault = useCheckedValue(element.faultTag);
  const state = onOffValveState(open, element.closedTag ? closed : null, element.faultTag ? fault : null);
  const { x, y } = element;
  const tags = definedTags([element.openTag, element.closedTag, element.faultTag]);
  const equipment = equipmentOf(tags, element.label);
  const activate = useActivate({ kind: 'faceplate', equipment, tags });
  const stateText = t(onOffValveStateKey[state]);
  const tooltip = [
    open.view.tooltip,
    element.closedTag ? closed.view.tooltip : '',
    element.faultTag ? fault.view.tooltip : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return (
    <g
      className={`onoff-valve onoff-${state}`}
      data-symbol="on-off-valve"
      data-state={state}
      data-equipment={equipment}
      aria-label={t('stateOf', { label: element.label, state: stateText })}
      {...activate}
    >
      <title>{`${element.label}: ${stateText}\n${t('activateFaceplate')}\n\n${tooltip}`}</title>
      <g transform={`translate(${x},${y}) rotate(${angle})`}>
        <path d={BOWTIE} className="valve-body onoff-body" />
        {state === 'moving' ? <path d="M-15,-10 L-15,10 L0,0 Z" className="onoff-half" /> : null}
      </g>
      {state === 'tripped' ? <TripCross x={x} y={y} r={14} /> : null}
      <text x={x} y={y - 34} textAnchor="middle" className="symbol-label">
        {element.label}
      </text>
      <StateBadge x={x} y={y - 16} text={stateText} state={state} />
      <EquipmentAlarmMarker equipment={equipment} x={x - 26} y={y + 12} />
    </g>
  );
});

/**
 * A controller (PID) block: the loop's label and mode (AUTO / MAN in a box, dashed `?` when
 * the mode bit cannot be trusted), then its process value, setpoint and output, each with
 * its quality marker. The block is one button: click, Enter or Space opens the loop's
 * faceplate (the equipment of its setpoint tag, `SS01.HC`); the values inside are not
 * separate targets, so one click never means two things.
 */
import { memo } from 'react';
import { asDigital } from '../../format/format-value.js';
import { useCheckedValue, type CheckedTag } from '../../values/use-checked-value.js';
import { QualityMarker } from '../../values/quality-marker.js';
import { EquipmentAlarmMarker } from '../../alarms/priority-marker.js';
import { useText } from '../../i18n/language.js';
import { mimicText, type MimicTextKey } from '../mimic-text.js';
import { useActivate } from '../mimic-actions.js';
import { definedTags, equipmentOf, HtmlAt, StateBadge, type Of } from './common.js';
import './controller.css';

export type ControllerMode = 'auto' | 'manual' | 'unknown';

/** The mode from the auto bit: only a Good reading says AUTO or MAN. Without an auto tag the mode is not shown. */
export function controllerMode(auto: Pick<CheckedTag, 'value' | 'quality'> | null): ControllerMode | null {
  if (auto === null) return null;
  if (auto.quality !== 'Good') return 'unknown';
  const v = asDigital(auto.value?.v);
  return v === true ? 'auto' : v === false ? 'manual' : 'unknown';
}

const modeKey: Record<ControllerMode, MimicTextKey> = { auto: 'ctlAuto', manual: 'ctlManual', unknown: 'unknown' };

/** Block size in screen units; x, y is its centre. Rows of 22 units hold 15-unit text (12 px at 1366×768). */
export const CONTROLLER_WIDTH = 236;
export const CONTROLLER_HEIGHT = 96;

function Row({
  name,
  role,
  checked,
  x,
  y,
  width,
}: {
  name: string;
  role: 'pv' | 'sp' | 'out';
  checked: CheckedTag;
  x: number;
  y: number;
  width: number;
}) {
  const view = checked.view;
  return (
    <HtmlAt x={x} y={y} width={width} height={22} className="mimic-value ctl-row">
      <span className={`live ${view.presentation.className}`} title={view.tooltip}>
        <span className="live-label ctl-row-name">{name}</span>
        <span className="live-value" data-ctl-role={role} data-ctl-tag={view.tag} data-quality={view.quality}>
          {view.text}
        </span>
        <QualityMarker quality={view.quality} reason={view.reason} title={view.tooltip} />
      </span>
    </HtmlAt>
  );
}

export const ControllerSymbol = memo(function ControllerSymbol({ element }: { element: Of<'controller'> }) {
  const t = useText(mimicText);
  const pv = useCheckedValue(element.pvTag);
  const sp = useCheckedValue(element.spTag);
  const out = useCheckedValue(element.outTag);
  const auto = useCheckedValue(element.autoTag);
  const mode = controllerMode(element.autoTag ? auto : null);
  const tags = definedTags([element.pvTag, element.spTag, element.outTag, element.autoTag]);
  const equipment = equipmentOf([element.spTag], element.label);
  const activate = useActivate({ kind: 'faceplate', equipment, tags });
  const left = element.x - CONTROLLER_WIDTH / 2;
  const top = element.y - CONTROLLER_HEIGHT / 2;
  const modeText = mode ? t(modeKey[mode]) : '';
  const tooltip = [pv.view.tooltip, sp.view.tooltip, out.view.tooltip, element.autoTag ? auto.view.tooltip : '']
    .filter(Boolean)
    .join('\n\n');
  return (
    <g
      className={`controller ctl-${mode ?? 'none'}`}
      data-symbol="controller"
      data-state={mode ?? 'none'}
      data-equipment={equipment}
      aria-label={t('ctlLabel', {
        label: element.label,
        mode: modeText || '—',
        pv: pv.view.text,
        sp: sp.view.text,
        out: out.view.text,
      })}
      {...activate}
    >
      <title>{`${element.label}${modeText ? `: ${modeText}` : ''}\n${t('activateFaceplate')}\n\n${tooltip}`}</title>
      <rect x={left} y={top} width={CONTROLLER_WIDTH} height={CONTROLLER_HEIGHT} rx={3} className="ctl-body" />
      <line x1={left} x2={left + CONTROLLER_WIDTH} y1={top + 27} y2={top + 27} className="ctl-rule" />
      <text x={left + 8} y={top + 20} className="symbol-label ctl-label">
        {element.label}
      </text>
      {mode ? (
        <StateBadge
          x={left + CONTROLLER_WIDTH - 6}
          y={top + 18}
          text={modeText}
          state={mode === 'manual' ? 'manual' : mode}
          anchor="end"
        />
      ) : null}
      <Row name={t('ctlPv')} role="pv" checked={pv} x={left + 6} y={top + 29} width={CONTROLLER_WIDTH - 12} />
      <Row name={t('ctlSp')} role="sp" checked={sp} x={left + 6} y={top + 51} width={CONTROLLER_WIDTH - 12} />
      <Row name={t('ctlOut')} role="out" checked={out} x={left + 6} y={top + 73} width={CONTROLLER_WIDTH - 12} />
      <EquipmentAlarmMarker equipment={equipment} x={left - 2} y={top - 2} />
    </g>
  );
});

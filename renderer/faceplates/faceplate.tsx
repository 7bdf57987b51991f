/**
 * The setpoint/command faceplate of one tag: tag, description, unit, current value with
 * quality and the engineering range, then the write flow (write-flow.tsx): an entry checked
 * against the range, old → new, for critical tags a reason and a second confirmation, and the
 * station's answer (confirmed with the read-back value, unconfirmed, or the refusal and why).
 */
import { useMemo, useState } from 'react';
import type { TagInfo } from '../../preload/contract.js';
import { useConnected, useNow, useStationSnapshot, useTagInfo, useTagValue } from '../app/station-context.js';
import { ModalDialog } from '../auth/modal-dialog.js';
import { valueView } from '../format/value-view.js';
import { pickText, type Translate } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { QualityMarker } from '../values/quality-marker.js';
import { faceplateText, type FaceplateTextKey } from './faceplates-text.js';
import { WriteFlow } from './write-flow.js';
import { SetpointFollow, SetpointPreview } from './controller-body.js';
import { equipmentFaceplate, equipmentKeyForTag } from './equipment.js';
import { useFaceplateActions } from './faceplate-context.js';
import { curveFieldOfTag } from './heating-curve.js';
import { rangeText } from './write-request.js';

/** What the operator needs to know about a tag before changing it. */
export function TagFacts({ tag, info }: { tag: string; info: TagInfo }) {
  const t = useText(faceplateText);
  const lang = useLang();
  const value = useTagValue(tag);
  const now = useNow();
  const connected = useConnected();
  const view = valueView(tag, value, info, now, connected);
  const range = rangeText(info);
  const description = pickText(info.description, lang);
  const other = lang === 'zh' ? info.description.en : info.description.zh;
  return (
    <dl className="faceplate-facts">
      <dt>{t('tag')}</dt>
      <dd className="mono" data-testid="faceplate-tag">
        {tag}
      </dd>
      <dt>{t('description')}</dt>
      <dd>
        {description}
        {other && other !== description ? (
          <span className="zh" lang={lang === 'zh' ? 'en' : 'zh'}>
            {' '}
            / {other}
          </span>
        ) : null}
      </dd>
      <dt>{t('currentValue')}</dt>
      <dd className={`live ${view.presentation.className}`}>
        <span className="live-value" data-quality={view.quality} title={view.tooltip}>
          {view.text}
        </span>
        <QualityMarker quality={view.quality} /> <span className="muted">({view.quality})</span>
      </dd>
      {info.unit ? (
        <>
          <dt>{t('unit')}</dt>
          <dd>{info.unit}</dd>
        </>
      ) : null}
      {range ? (
        <>
          <dt>{t('range')}</dt>
          <dd data-testid="faceplate-range">{range}</dd>
        </>
      ) : null}
      {info.critical ? (
        <>
          <dt>{t('critical')}</dt>
          <dd>
            <strong>{t('criticalTag')}</strong>: {t('criticalNote')}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export function writeTitle(
  t: Translate<FaceplateTextKey>,
  tag: string,
  info: Pick<TagInfo, 'critical' | 'kind'>,
): string {
  const command = info.kind === 'digital';
  return t(
    info.critical
      ? command
        ? 'titleCriticalCommand'
        : 'titleCriticalSetpoint'
      : command
        ? 'titleCommand'
        : 'titleSetpoint',
    { tag },
  );
}

export function Faceplate({ tag, onClose }: { tag: string; onClose: () => void }) {
  const t = useText(faceplateText);
  const info = useTagInfo(tag);
  const [sending, setSending] = useState(false);
  const { tagsByName } = useStationSnapshot();
  const { openEquipmentFaceplate } = useFaceplateActions();
  // A heating-curve tag: the setpoint it will give, as on the controller faceplate.
  const names = useMemo(() => new Set(tagsByName.keys()), [tagsByName]);
  const controller = useMemo(
    () => (curveFieldOfTag(tag) ? equipmentFaceplate(`${tag.split('.')[0]!}.HC`, names) : null),
    [tag, names],
  );
  // The equipment faceplate this tag belongs to (the controller for curve tags), one click away.
  const equipment = useMemo(() => {
    if (controller) return controller;
    const key = equipmentKeyForTag(tag);
    const spec = key ? equipmentFaceplate(key, names) : null;
    return spec && spec.kind !== 'generic' ? spec : null;
  }, [tag, names, controller]);
  if (!info) {
    return (
      <ModalDialog title={tag} onClose={onClose} testId="faceplate">
        <p>{t('unknownTag')}</p>
        <div className="modal-actions">
          <button type="button" onClick={onClose} data-testid="faceplate-close">
            {t('close')}
          </button>
        </div>
      </ModalDialog>
    );
  }
  // While the write is on its way, Escape does not close: the operator must see the answer.
  const closeUnlessSending = () => {
    if (!sending) onClose();
  };
  return (
    <ModalDialog title={writeTitle(t, tag, info)} onClose={closeUnlessSending} testId="faceplate" className="faceplate">
      <TagFacts tag={tag} info={info} />
      <WriteFlow
        tag={tag}
        info={info}
        onClose={onClose}
        onSending={setSending}
        {...(controller
          ? {
              preview: (v) => <SetpointPreview tags={controller.tags} tag={tag} value={v} />,
              after: (written) => <SetpointFollow tags={controller.tags} tag={tag} written={written} />,
            }
          : {})}
      />
      {equipment && !sending ? (
        <p className="fp-link">
          <button
            type="button"
            className="link-button"
            onClick={() => openEquipmentFaceplate(equipment.key)}
            data-testid={`fp-open-${equipment.equipment.toLowerCase()}`}
            data-open-equipment={equipment.key}
          >
            {t('openEquipment', {
              kind: t(
                equipment.kind === 'controller'
                  ? 'kindController'
                  : equipment.kind === 'pump'
                    ? 'kindPump'
                    : 'kindValve',
              ),
              key: equipment.key,
            })}
          </button>
        </p>
      ) : null}
    </ModalDialog>
  );
}

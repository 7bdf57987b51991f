/**
 * The equipment faceplate: one dialog per pump, valve or controller, opened from its mimic
 * symbol. Live values with their ranges, a 1-hour mini-trend, the equipment's alarms, and
 * its commands as the user's role allows (the runtime checks every write again). A command
 * runs the console's one write flow (write-flow.tsx) inside the same dialog; Escape closes
 * the faceplate (not while a write is on its way) and focus returns to the symbol.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AlarmDto } from '../../preload/contract.js';
import { useStationSnapshot, useTagInfo } from '../app/station-context.js';
import { mayDo } from '../auth/access.js';
import { ModalDialog } from '../auth/modal-dialog.js';
import { useAlarmSnapshot } from '../alarms/alarm-context.js';
import { equipmentKeyOfAlarm, isUnacked, sortAlarms, stateText } from '../alarms/alarm-view.js';
import { PriorityMarker } from '../alarms/priority-marker.js';
import { formatClock, pickText, translator, type Lang } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { useFaceplateActions, WithoutWriteOpeners } from './faceplate-context.js';
import { CommandContext, ValueTable, type CommandAccess, type FaceplateCommand } from './faceplate-parts.js';
import { TagFacts, writeTitle } from './faceplate.js';
import { equipmentNameText, faceplateText, type FaceplateTextKey } from './faceplates-text.js';
import { equipmentFaceplate, relatedFaceplates, type EquipmentFaceplateSpec, type EquipmentKind } from './equipment.js';
import { MiniTrend } from './mini-trend.js';
import { WriteFlow } from './write-flow.js';
import { ControllerBody } from './controller-body.js';
import { PumpBody } from './pump-body.js';
import { ValveBody } from './valve-body.js';

/**
 * The alarms of an equipment: by its key (area + equipment) or by any of its tags. Alarms
 * suppressed by design whose condition does not hold (a stopped pump's) are left out.
 */
export function equipmentAlarms(
  alarms: readonly AlarmDto[],
  spec: Pick<EquipmentFaceplateSpec, 'key' | 'related'>,
): AlarmDto[] {
  const related = new Set(spec.related);
  return sortAlarms(
    alarms.filter(
      (a) =>
        a.state !== 'normal' &&
        (a.state !== 'suppressed' || a.active) &&
        (equipmentKeyOfAlarm(a) === spec.key || (a.tag !== null && related.has(a.tag))),
    ),
    'priority',
    false,
  );
}

function AlarmList({ alarms }: { alarms: readonly AlarmDto[] }) {
  const t = useText(faceplateText);
  const lang = useLang();
  if (alarms.length === 0) return <p className="muted fp-no-alarms">{t('noAlarms')}</p>;
  return (
    <ul className="fp-alarms">
      {alarms.map((a) => (
        <li key={a.id} data-testid="fp-alarm" data-alarm-id={a.id} data-state={a.state} data-priority={a.priority}>
          <PriorityMarker priority={a.priority} blink={isUnacked(a)} size={16} />
          <span className="fp-alarm-time">{formatClock(a.activeSince ?? a.changedAt)}</span>
          <span className="fp-alarm-state">{stateText[a.state]}</span>
          <span className="fp-alarm-message">{pickText(a.message, lang)}</span>
        </li>
      ))}
    </ul>
  );
}

const kindWord: Readonly<Record<EquipmentKind, FaceplateTextKey>> = {
  controller: 'kindController',
  pump: 'kindPump',
  valve: 'kindValve',
  generic: 'kindGeneric',
};

/** The pens of the mini-trend per kind: the loop's PV and SP, the valve's position and output. */
function trendTags(spec: EquipmentFaceplateSpec): string[] {
  const pick = (...roles: string[]) => roles.flatMap((r) => (spec.tags[r] ? [spec.tags[r]] : []));
  switch (spec.kind) {
    case 'controller':
      return pick('pv', 'sp');
    case 'valve':
      return pick('pos', 'out');
    case 'pump':
      return pick('vib', 'current').slice(0, 1);
    case 'generic':
      return spec.shown.slice(0, 1);
  }
}

export function EquipmentFaceplate({ equipmentKey, onClose }: { equipmentKey: string; onClose: () => void }) {
  const t = useText(faceplateText);
  const lang = useLang();
  const { auth, tagsByName } = useStationSnapshot();
  const names = useMemo(() => new Set(tagsByName.keys()), [tagsByName]);
  const spec = useMemo(() => equipmentFaceplate(equipmentKey, names), [equipmentKey, names]);
  const alarmSnapshot = useAlarmSnapshot();
  const alarms = useMemo(
    () => (spec && alarmSnapshot ? equipmentAlarms(alarmSnapshot.alarms, spec) : []),
    [spec, alarmSnapshot],
  );
  const [command, setCommand] = useState<FaceplateCommand | null>(null);
  const [sending, setSending] = useState(false);
  const [trendTag, setTrendTag] = useState<string | null>(null);
  const canWrite = mayDo(auth, 'tag.write');
  const access = useMemo<CommandAccess>(() => ({ canWrite, run: setCommand }), [canWrite]);
  const commandInfo = useTagInfo(command?.tag ?? '');
  const { openEquipmentFaceplate } = useFaceplateActions();
  const related = useMemo(() => (spec ? relatedFaceplates(spec, names) : []), [spec, names]);
  const rootRef = useRef<HTMLDivElement>(null);
  const inCommand = command !== null;
  // The dialog is open by now (a child's effect runs first); back from a command, focus returns here too.
  useEffect(() => {
    if (!inCommand) rootRef.current?.focus();
  }, [inCommand]);

  if (!spec) {
    return (
      <ModalDialog title={equipmentKey} onClose={onClose} testId="equipment-faceplate">
        <p>{t('equipmentUnknown', { key: equipmentKey })}</p>
        <div className="modal-actions">
          <button type="button" onClick={onClose} data-testid="equipment-faceplate-close">
            {t('close')}
          </button>
        </div>
      </ModalDialog>
    );
  }
  const name = equipmentName(spec, tagsByName, lang);
  const title = t('faceplateTitle', { kind: t(kindWord[spec.kind]), key: spec.key, name });
  const pens = trendTag ? [trendTag] : trendTags(spec);
  const analogShown = spec.shown.filter((tag) => tagsByName.get(tag)?.kind === 'analog');
  const closeUnlessSending = () => {
    if (!sending) onClose();
  };

  return (
    <ModalDialog
      title={title}
      onClose={closeUnlessSending}
      testId="equipment-faceplate"
      className="faceplate equipment-faceplate"
    >
      {/* Focus starts on the faceplate itself (not on its first value, whose quality tooltip would cover the rest): Tab goes on from here. */}
      <div className="fp-root" data-equipment={spec.key} data-kind={spec.kind} tabIndex={-1} ref={rootRef}>
        <CommandContext value={access}>
          <WithoutWriteOpeners>
            {command && commandInfo ? (
              <section
                className="fp-command-view"
                aria-label={writeTitle(t, command.tag, commandInfo)}
                data-testid="fp-command-view"
              >
                <h3 className="fp-heading">{writeTitle(t, command.tag, commandInfo)}</h3>
                <TagFacts tag={command.tag} info={commandInfo} />
                <WriteFlow
                  key={`${command.tag}:${String(command.fixed)}`}
                  tag={command.tag}
                  info={commandInfo}
                  {...(command.fixed !== undefined ? { fixed: command.fixed } : {})}
                  {...(command.preview ? { preview: command.preview } : {})}
                  {...(command.after ? { after: command.after } : {})}
                  onClose={() => setCommand(null)}
                  closeLabel={t('backToFaceplate')}
                  closeTestId="faceplate-back"
                  onSending={setSending}
                />
              </section>
            ) : (
              <div className="fp-columns">
                <div className="fp-main">
                  {spec.kind === 'controller' ? <ControllerBody spec={spec} /> : null}
                  {spec.kind === 'pump' ? <PumpBody spec={spec} alarms={alarms} /> : null}
                  {spec.kind === 'valve' ? <ValveBody spec={spec} /> : null}
                  {spec.kind === 'pump' ? <ValueTable tags={spec.shown} caption={t('liveValues')} /> : null}
                  {spec.kind === 'generic' ? (
                    <ValueTable tags={spec.shown} caption={t('liveValues')} commands={canWrite} />
                  ) : null}
                  {!canWrite ? <p className="muted fp-view-only">{t('viewOnly')}</p> : null}
                </div>
                <div className="fp-side">
                  <section aria-label={t('trend')}>
                    <h3 className="fp-heading">
                      {t('trend')}
                      {analogShown.length > 1 ? (
                        <select
                          className="fp-trend-pick"
                          aria-label={t('trendPick')}
                          value={trendTag ?? ''}
                          onChange={(e) => setTrendTag(e.target.value === '' ? null : e.target.value)}
                          data-testid="fp-trend-pick"
                        >
                          <option value="">
                            {trendTags(spec)
                              .map((tag) => tag.split('.').slice(1).join('.'))
                              .join(' + ')}
                          </option>
                          {analogShown.map((tag) => (
                            <option key={tag} value={tag}>
                              {tag.split('.').slice(1).join('.')}
                            </option>
                          ))}
                        </select>
                      ) : null}
                    </h3>
                    <MiniTrend tags={pens} />
                  </section>
                  <section aria-label={t('alarms')} data-testid="fp-alarms">
                    <h3 className="fp-heading">{t('alarms')}</h3>
                    <AlarmList alarms={alarms} />
                  </section>
                </div>
              </div>
            )}
          </WithoutWriteOpeners>
        </CommandContext>
        {command ? null : (
          <div className="modal-actions fp-actions">
            <button type="button" onClick={onClose} data-testid="equipment-faceplate-close">
              {t('close')}
            </button>
            {related.map((key) => (
              <button
                key={key}
                type="button"
                onClick={() => openEquipmentFaceplate(key)}
                data-testid={`fp-open-${key.split('.')[1]!.toLowerCase()}`}
                data-open-equipment={key}
              >
                {t('openRelated', {
                  name: equipmentName({ ...spec, equipment: key.split('.')[1]!, shown: [] }, tagsByName, lang),
                })}
              </button>
            ))}
            <span className="muted">{t('keysHint')}</span>
          </div>
        )}
      </div>
    </ModalDialog>
  );
}

/** The equipment's name in the operator's language; else the first tag's description. */
function equipmentName(
  spec: EquipmentFaceplateSpec,
  tags: ReadonlyMap<string, { description: { en: string; zh?: string | undefined } }>,
  lang: Lang,
): string {
  if (spec.equipment in equipmentNameText.en)
    return translator(equipmentNameText, lang)(spec.equipment as keyof typeof equipmentNameText.en);
  const first = tags.get(spec.shown[0] ?? '');
  return first ? pickText(first.description, lang) : spec.equipment;
}

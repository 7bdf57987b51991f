/**
 * The one write flow of the console, used by the tag faceplate and by every command of an
 * equipment faceplate: an entry checked against the range (or a fixed command value), a
 * confirmation that shows old → new, for critical tags a reason and a second confirmation,
 * then the station's answer with the read-back value. The steps and words come from
 * write-request.ts; `preview` shows what a value will do before it is confirmed (the
 * controller's resulting setpoint), `after` what followed the write.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { useStation, useTagValue } from '../app/station-context.js';
import { asDigital, digitalLabel } from '../format/format-value.js';
import { useLang, useText } from '../i18n/language.js';
import { faceplateText } from './faceplates-text.js';
import {
  changeText,
  checkEntry,
  describeWriteReply,
  nextAfterConfirm,
  reasonProblem,
  type FaceplateStep,
  type WriteOutcome,
  type WriteValue,
} from './write-request.js';

export interface WriteFlowProps {
  readonly tag: string;
  readonly info: TagInfo;
  /** A command with a fixed value (reset, auto on/off): no entry step, straight to the confirmation. */
  readonly fixed?: WriteValue;
  /** What the value being entered or confirmed will do (null while the entry is not valid). */
  readonly preview?: (value: WriteValue | null) => ReactNode;
  /** Shown with the station's answer: what followed the write. */
  readonly after?: (written: WriteValue, outcome: WriteOutcome) => ReactNode;
  /** Cancel, or Close after the answer. */
  readonly onClose: () => void;
  readonly closeLabel?: string;
  /** `data-testid` of the cancel/close button. */
  readonly closeTestId?: string;
  /** Told when the write is on its way (the dialog must not close then) and when it is back. */
  readonly onSending?: (sending: boolean) => void;
}

function initialEntry(info: TagInfo, value: TagValueDto | undefined): string {
  if (info.kind === 'digital') return '';
  if (typeof value?.v === 'number') return String(value.v);
  return typeof value?.v === 'string' ? value.v : '';
}

export function WriteFlow({
  tag,
  info,
  fixed,
  preview,
  after,
  onClose,
  closeLabel,
  closeTestId = 'faceplate-close',
  onSending,
}: WriteFlowProps) {
  const station = useStation();
  const lang = useLang();
  const t = useText(faceplateText);
  const value = useTagValue(tag);
  const digitalNow = asDigital(value?.v);
  const [entry, setEntry] = useState<string>(() => initialEntry(info, value));
  const [step, setStep] = useState<FaceplateStep>(fixed !== undefined ? 'confirm' : 'enter');
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<{ value: WriteValue; old: TagValueDto | undefined } | null>(() =>
    fixed !== undefined ? { value: fixed, old: value } : null,
  );
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<WriteOutcome | null>(null);
  const critical = info.critical;
  const cancelLabel = closeLabel ?? t('cancel');

  const entryValue = (): string | boolean =>
    info.kind === 'digital' ? (entry === 'true' ? true : entry === 'false' ? false : entry) : entry;
  const checkedNow = step === 'enter' ? checkEntry(info, entryValue(), lang) : null;

  const onApply = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkEntry(info, entryValue(), lang);
    if (!checked.ok) return setProblem(checked.problem);
    setProblem(null);
    setPending({ value: checked.value, old: value });
    setStep('confirm');
  };

  const send = async (writeValue: WriteValue) => {
    setStep('sending');
    onSending?.(true);
    const reply = await station.transport.request('tags.write', {
      tag,
      value: writeValue,
      ...(critical ? { reason: reason.trim() } : {}),
    });
    onSending?.(false);
    setOutcome(describeWriteReply(reply, info, lang));
    setStep('result');
  };

  const onConfirm = (current: 'confirm' | 'confirm-critical') => {
    if (!pending) return;
    const missing = reasonProblem(critical, reason, lang);
    if (missing) return setProblem(missing);
    setProblem(null);
    const next = nextAfterConfirm(current, critical);
    if (next === 'sending') void send(pending.value);
    else setStep(next);
  };

  const change = pending ? changeText(pending.old?.v, pending.value, info) : '';
  const backToEntry = fixed !== undefined ? null : () => setStep('enter');

  return (
    <div className="write-flow" data-tag-write={tag}>
      {step === 'enter' ? (
        <form className="faceplate-form" onSubmit={onApply} noValidate>
          <label>
            <span>{info.unit ? t('newValueUnit', { unit: info.unit }) : t('newValue')}</span>
            {info.kind === 'digital' ? (
              <select autoFocus value={entry} onChange={(e) => setEntry(e.target.value)} data-testid="faceplate-input">
                <option value="" disabled>
                  {t('choose')}
                </option>
                <option value="false">
                  {digitalLabel(false, info.states, lang)}
                  {digitalNow === false ? t('now') : ''}
                </option>
                <option value="true">
                  {digitalLabel(true, info.states, lang)}
                  {digitalNow === true ? t('now') : ''}
                </option>
              </select>
            ) : (
              <input
                autoFocus
                type="text"
                inputMode={info.kind === 'analog' ? 'decimal' : 'text'}
                value={entry}
                onChange={(e) => setEntry(e.target.value)}
                aria-invalid={problem !== null}
                aria-describedby="faceplate-problem"
                data-testid="faceplate-input"
              />
            )}
          </label>
          {preview ? preview(checkedNow?.ok ? checkedNow.value : null) : null}
          <div className="modal-actions">
            <button type="submit" data-testid="faceplate-apply">
              {t('apply')}
            </button>
            <button type="button" onClick={onClose} data-testid={closeTestId}>
              {cancelLabel}
            </button>
          </div>
        </form>
      ) : null}

      {step === 'confirm' || step === 'confirm-critical' ? (
        <div className="faceplate-confirm" role="group" aria-label={t('confirmGroup')}>
          <p className="faceplate-change" data-testid="faceplate-change">
            {change}
          </p>
          {preview && pending ? preview(pending.value) : null}
          {critical ? (
            <label>
              <span>{t('reasonLabel')}</span>
              <textarea
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={500}
                rows={2}
                readOnly={step === 'confirm-critical'}
                autoFocus={step === 'confirm'}
                data-testid="faceplate-reason"
              />
            </label>
          ) : null}
          {step === 'confirm' ? (
            <div className="modal-actions">
              <button
                type="button"
                autoFocus={!critical}
                onClick={() => onConfirm('confirm')}
                data-testid="faceplate-confirm"
              >
                {t('confirmWrite', { change })}
              </button>
              {backToEntry ? (
                <button type="button" onClick={backToEntry}>
                  {t('back')}
                </button>
              ) : null}
              <button type="button" onClick={onClose} data-testid={closeTestId}>
                {cancelLabel}
              </button>
            </div>
          ) : (
            <div className="modal-actions critical-actions">
              <p className="critical-warning">
                <strong>{t('secondConfirm')}</strong> {t('secondConfirmText', { tag, change })}
              </p>
              <button
                type="button"
                autoFocus
                onClick={() => onConfirm('confirm-critical')}
                data-testid="faceplate-confirm-critical"
              >
                {t('yesWrite')}
              </button>
              <button type="button" onClick={() => setStep('confirm')}>
                {t('back')}
              </button>
              <button type="button" onClick={onClose} data-testid={closeTestId}>
                {cancelLabel}
              </button>
            </div>
          )}
        </div>
      ) : null}

      {step === 'sending' ? (
        <p className="muted" role="status">
          {t('writing', { change })}
        </p>
      ) : null}

      {step === 'result' && outcome && pending ? (
        <div className="faceplate-result-box">
          <p
            className={`faceplate-result result-${outcome.kind}`}
            role="status"
            data-testid="faceplate-result"
            data-result={outcome.kind}
          >
            <strong>
              {outcome.kind === 'confirmed'
                ? t('confirmed')
                : outcome.kind === 'unconfirmed'
                  ? t('unconfirmed')
                  : t('refused')}
            </strong>{' '}
            {outcome.text}
          </p>
          {after ? after(pending.value, outcome) : null}
          <div className="modal-actions">
            <button type="button" autoFocus onClick={onClose} data-testid={closeTestId}>
              {closeLabel ?? t('close')}
            </button>
          </div>
        </div>
      ) : null}

      {problem ? (
        <p id="faceplate-problem" className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

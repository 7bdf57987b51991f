/**
 * The setpoint/command faceplate: tag, description, unit, current value with quality and
 * the engineering range; an entry checked against the range; a confirmation that shows
 * old → new; for critical tags a reason and a second confirmation; then the station's
 * answer (confirmed with the read-back value, unconfirmed, or the refusal and its reason).
 */
import { useState, type FormEvent } from 'react';
import { useConnected, useNow, useStation, useTagInfo, useTagValue } from '../app/station-context.js';
import { ModalDialog } from '../auth/modal-dialog.js';
import { asDigital, digitalLabel } from '../format/format-value.js';
import { valueView } from '../format/value-view.js';
import { QualityMarker } from '../values/quality-marker.js';
import {
  changeText,
  checkEntry,
  describeWriteReply,
  nextAfterConfirm,
  rangeText,
  reasonProblem,
  type FaceplateStep,
  type WriteOutcome,
  type WriteValue,
} from './write-request.js';

export function Faceplate({ tag, onClose }: { tag: string; onClose: () => void }) {
  const station = useStation();
  const info = useTagInfo(tag);
  const value = useTagValue(tag);
  const now = useNow();
  const connected = useConnected();
  const view = valueView(tag, value, info, now, connected);
  const digitalNow = asDigital(value?.v);
  const [entry, setEntry] = useState<string>(() =>
    info?.kind === 'digital' ? '' : typeof value?.v === 'number' ? String(value.v) : typeof value?.v === 'string' ? value.v : '',
  );
  const [step, setStep] = useState<FaceplateStep>('enter');
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<{ value: WriteValue; old: typeof value } | null>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<WriteOutcome | null>(null);

  if (!info) {
    return (
      <ModalDialog title={tag} onClose={onClose} testId="faceplate">
        <p>This tag is not known to the console.</p>
        <div className="modal-actions">
          <button type="button" onClick={onClose} data-testid="faceplate-close">
            Close
          </button>
        </div>
      </ModalDialog>
    );
  }
  const critical = info.critical;
  const range = rangeText(info);

  const onApply = (e: FormEvent) => {
    e.preventDefault();
    const digitalEntry = entry === 'true' ? true : entry === 'false' ? false : entry;
    const checked = checkEntry(info, info.kind === 'digital' ? digitalEntry : entry);
    if (!checked.ok) return setProblem(checked.problem);
    setProblem(null);
    setPending({ value: checked.value, old: value });
    setStep('confirm');
  };

  const send = async (writeValue: WriteValue) => {
    setStep('sending');
    const reply = await station.transport.request('tags.write', { tag, value: writeValue, ...(critical ? { reason: reason.trim() } : {}) });
    setOutcome(describeWriteReply(reply, info));
    setStep('result');
  };

  const onConfirm = (current: 'confirm' | 'confirm-critical') => {
    if (!pending) return;
    const missing = reasonProblem(critical, reason);
    if (missing) return setProblem(missing);
    setProblem(null);
    const next = nextAfterConfirm(current, critical);
    if (next === 'sending') void send(pending.value);
    else setStep(next);
  };

  const change = pending ? changeText(pending.old?.v, pending.value, info) : '';
  // While the write is on its way, Escape does not close: the operator must see the answer.
  const closeUnlessSending = () => {
    if (step !== 'sending') onClose();
  };

  return (
    <ModalDialog title={`${critical ? 'Critical ' : ''}${info.kind === 'digital' ? 'command' : 'setpoint'}: ${tag}`} onClose={closeUnlessSending} testId="faceplate" className="faceplate">
      <dl className="faceplate-facts">
        <dt>Tag</dt>
        <dd className="mono" data-testid="faceplate-tag">
          {tag}
        </dd>
        <dt>Description</dt>
        <dd>
          {info.description.en}
          {info.description.zh ? (
            <span className="zh" lang="zh">
              {' '}
              / {info.description.zh}
            </span>
          ) : null}
        </dd>
        <dt>Current value</dt>
        <dd className={`live ${view.presentation.className}`}>
          <span className="live-value" data-quality={view.quality} title={view.tooltip}>
            {view.text}
          </span>
          <QualityMarker quality={view.quality} /> <span className="muted">({view.quality})</span>
        </dd>
        {info.unit ? (
          <>
            <dt>Unit</dt>
            <dd>{info.unit}</dd>
          </>
        ) : null}
        {range ? (
          <>
            <dt>Range</dt>
            <dd data-testid="faceplate-range">{range}</dd>
          </>
        ) : null}
        {critical ? (
          <>
            <dt>Critical</dt>
            <dd>
              <strong>! Critical tag</strong>: a change needs a reason and a second confirmation.
            </dd>
          </>
        ) : null}
      </dl>

      {step === 'enter' ? (
        <form className="faceplate-form" onSubmit={onApply} noValidate>
          <label>
            <span>New value{info.unit ? ` (${info.unit})` : ''}</span>
            {info.kind === 'digital' ? (
              <select autoFocus value={entry} onChange={(e) => setEntry(e.target.value)} data-testid="faceplate-input">
                <option value="" disabled>
                  Choose…
                </option>
                <option value="false">
                  {digitalLabel(false, info.states)}
                  {digitalNow === false ? ' (now)' : ''}
                </option>
                <option value="true">
                  {digitalLabel(true, info.states)}
                  {digitalNow === true ? ' (now)' : ''}
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
          <div className="modal-actions">
            <button type="submit" data-testid="faceplate-apply">
              Apply…
            </button>
            <button type="button" onClick={onClose} data-testid="faceplate-close">
              Cancel
            </button>
          </div>
        </form>
      ) : null}

      {step === 'confirm' || step === 'confirm-critical' ? (
        <div className="faceplate-confirm" role="group" aria-label="Confirm the change">
          <p className="faceplate-change" data-testid="faceplate-change">
            {change}
          </p>
          {critical ? (
            <label>
              <span>Reason for the change (required)</span>
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
              <button type="button" autoFocus={!critical} onClick={() => onConfirm('confirm')} data-testid="faceplate-confirm">
                Confirm: write {change}
              </button>
              <button type="button" onClick={() => setStep('enter')}>
                Back
              </button>
              <button type="button" onClick={onClose} data-testid="faceplate-close">
                Cancel
              </button>
            </div>
          ) : (
            <div className="modal-actions critical-actions">
              <p className="critical-warning">
                <strong>! Second confirmation.</strong> {tag} is critical. Write {change}?
              </p>
              <button type="button" autoFocus onClick={() => onConfirm('confirm-critical')} data-testid="faceplate-confirm-critical">
                Yes, write it
              </button>
              <button type="button" onClick={() => setStep('confirm')}>
                Back
              </button>
              <button type="button" onClick={onClose} data-testid="faceplate-close">
                Cancel
              </button>
            </div>
          )}
        </div>
      ) : null}

      {step === 'sending' ? (
        <p className="muted" role="status">
          Writing {change}…
        </p>
      ) : null}

      {step === 'result' && outcome ? (
        <div className="faceplate-result-box">
          <p className={`faceplate-result result-${outcome.kind}`} role="status" data-testid="faceplate-result" data-result={outcome.kind}>
            <strong>{outcome.kind === 'confirmed' ? '✓ Confirmed' : outcome.kind === 'unconfirmed' ? '? Unconfirmed' : '✕ Refused'}</strong> {outcome.text}
          </p>
          <div className="modal-actions">
            <button type="button" autoFocus onClick={onClose} data-testid="faceplate-close">
              Close
            </button>
          </div>
        </div>
      ) : null}

      {problem ? (
        <p id="faceplate-problem" className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </ModalDialog>
  );
}

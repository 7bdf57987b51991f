/**
 * Shelve (reason + duration, or one-shot until the alarm returns to normal), comment, and
 * out of service (reason): small modal forms; the runtime checks the role and writes the
 * journal and the audit trail.
 */
import { useState, type FormEvent } from 'react';
import type { AlarmDto } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { ModalDialog } from '../auth/modal-dialog.js';
import { shelveChoices, shelveParams } from './alarm-commands.js';
import { useText } from '../i18n/language.js';
import { alarmText } from './alarm-text.js';

type ShelveKey = 'shelve_one-shot' | 'shelve_15' | 'shelve_60' | 'shelve_240' | 'shelve_480' | 'shelve_1440';

type Reply = { ok: true } | { ok: false; error: { code: string; message: string } };
export type RunCommand = (label: string, request: () => Promise<Reply>) => Promise<boolean>;

interface DialogProps {
  readonly alarm: AlarmDto;
  readonly onClose: () => void;
  readonly run: RunCommand;
}

function useSubmit(run: RunCommand, onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const submit = async (label: string, request: () => Promise<Reply>) => {
    setBusy(true);
    const ok = await run(label, request);
    setBusy(false);
    if (ok) onClose();
  };
  return { busy, submit };
}

export function ShelveDialog({ alarm, onClose, run }: DialogProps) {
  const station = useStation();
  const [reason, setReason] = useState('');
  const [choice, setChoice] = useState('60');
  const { busy, submit } = useSubmit(run, onClose);
  const t = useText(alarmText);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const params = shelveParams(alarm.id, reason, choice);
    void submit(t('shelvedDone', { id: alarm.id }), () => station.transport.request('alarms.shelve', params));
  };
  return (
    <ModalDialog title={t('shelveTitle', { id: alarm.id })} onClose={onClose} testId="shelve-dialog">
      <form className="modal-form" onSubmit={onSubmit}>
        <p className="muted">{t('shelveIntro')}</p>
        <label>
          {t('reason')}
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            minLength={3}
            maxLength={500}
            required
            data-testid="shelve-reason"
            autoFocus
          />
        </label>
        <label>
          {t('shelveFor')}
          <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="shelve-duration">
            {shelveChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {t(`shelve_${c.value}` as ShelveKey)}
              </option>
            ))}
          </select>
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy || reason.trim().length < 3} data-testid="shelve-submit">
            {t('shelveSubmit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

export function CommentDialog({ alarm, onClose, run }: DialogProps) {
  const station = useStation();
  const [comment, setComment] = useState('');
  const { busy, submit } = useSubmit(run, onClose);
  const t = useText(alarmText);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(t('commentDone', { id: alarm.id }), () =>
      station.transport.request('alarms.comment', { id: alarm.id, comment: comment.trim() }),
    );
  };
  return (
    <ModalDialog title={t('commentTitle', { id: alarm.id })} onClose={onClose} testId="comment-dialog">
      <form className="modal-form" onSubmit={onSubmit}>
        <label>
          {t('commentLabel')}
          <textarea
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={4}
            maxLength={1000}
            required
            data-testid="comment-text"
            autoFocus
          />
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy || comment.trim().length === 0} data-testid="comment-submit">
            {t('commentSubmit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

export function OutOfServiceDialog({ alarm, onClose, run }: DialogProps) {
  const station = useStation();
  const [reason, setReason] = useState('');
  const { busy, submit } = useSubmit(run, onClose);
  const t = useText(alarmText);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(t('oosDone', { id: alarm.id }), () =>
      station.transport.request('alarms.setOutOfService', { id: alarm.id, outOfService: true, reason: reason.trim() }),
    );
  };
  return (
    <ModalDialog title={t('oosTitle', { id: alarm.id })} onClose={onClose} testId="oos-dialog">
      <form className="modal-form" onSubmit={onSubmit}>
        <p className="muted">{t('oosIntro')}</p>
        <label>
          {t('oosReason')}
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            minLength={3}
            maxLength={500}
            required
            data-testid="oos-reason"
            autoFocus
          />
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy || reason.trim().length < 3} data-testid="oos-submit">
            {t('oosSubmit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

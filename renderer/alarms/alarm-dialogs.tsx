/**
 * Shelve (reason + duration, or one-shot until the alarm returns to normal), comment, and
 * out of service (reason): small modal forms; the runtime checks the role and writes the
 * journal and the audit trail.
 */
import { useState } from 'react';
import type { AlarmDto } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { FormDialog } from '../auth/modal-form.js';
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

/** A reason the journal keeps (3 to 500 characters), focused when the dialog opens. */
function ReasonInput(props: { label: string; value: string; onChange: (value: string) => void; testId: string }) {
  return (
    <label>
      {props.label}
      <input
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        minLength={3}
        maxLength={500}
        required
        data-testid={props.testId}
        autoFocus
      />
    </label>
  );
}

const reasonTooShort = (reason: string) => reason.trim().length < 3;

export function ShelveDialog({ alarm, onClose, run }: DialogProps) {
  const station = useStation();
  const [reason, setReason] = useState('');
  const [choice, setChoice] = useState('60');
  const { busy, submit } = useSubmit(run, onClose);
  const t = useText(alarmText);
  const onSubmit = () => {
    const params = shelveParams(alarm.id, reason, choice);
    void submit(t('shelvedDone', { id: alarm.id }), () => station.transport.request('alarms.shelve', params));
  };
  return (
    <FormDialog
      title={t('shelveTitle', { id: alarm.id })}
      onClose={onClose}
      testId="shelve-dialog"
      onSubmit={onSubmit}
      submitLabel={t('shelveSubmit')}
      submitTestId="shelve-submit"
      submitDisabled={busy || reasonTooShort(reason)}
      cancelLabel={t('cancel')}
    >
      <p className="muted">{t('shelveIntro')}</p>
      <ReasonInput label={t('reason')} value={reason} onChange={setReason} testId="shelve-reason" />
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
    </FormDialog>
  );
}

export function CommentDialog({ alarm, onClose, run }: DialogProps) {
  const station = useStation();
  const [comment, setComment] = useState('');
  const { busy, submit } = useSubmit(run, onClose);
  const t = useText(alarmText);
  const onSubmit = () =>
    void submit(t('commentDone', { id: alarm.id }), () =>
      station.transport.request('alarms.comment', { id: alarm.id, comment: comment.trim() }),
    );
  return (
    <FormDialog
      title={t('commentTitle', { id: alarm.id })}
      onClose={onClose}
      testId="comment-dialog"
      onSubmit={onSubmit}
      submitLabel={t('commentSubmit')}
      submitTestId="comment-submit"
      submitDisabled={busy || comment.trim().length === 0}
      cancelLabel={t('cancel')}
    >
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
    </FormDialog>
  );
}

export function OutOfServiceDialog({ alarm, onClose, run }: DialogProps) {
  const station = useStation();
  const [reason, setReason] = useState('');
  const { busy, submit } = useSubmit(run, onClose);
  const t = useText(alarmText);
  const onSubmit = () =>
    void submit(t('oosDone', { id: alarm.id }), () =>
      station.transport.request('alarms.setOutOfService', { id: alarm.id, outOfService: true, reason: reason.trim() }),
    );
  return (
    <FormDialog
      title={t('oosTitle', { id: alarm.id })}
      onClose={onClose}
      testId="oos-dialog"
      onSubmit={onSubmit}
      submitLabel={t('oosSubmit')}
      submitTestId="oos-submit"
      submitDisabled={busy || reasonTooShort(reason)}
      cancelLabel={t('cancel')}
    >
      <p className="muted">{t('oosIntro')}</p>
      <ReasonInput label={t('oosReason')} value={reason} onChange={setReason} testId="oos-reason" />
    </FormDialog>
  );
}

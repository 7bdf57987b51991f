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
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const params = shelveParams(alarm.id, reason, choice);
    void submit(`Shelved ${alarm.id}`, () => station.transport.request('alarms.shelve', params));
  };
  return (
    <ModalDialog title={`Shelve ${alarm.id}`} onClose={onClose} testId="shelve-dialog">
      <form className="modal-form" onSubmit={onSubmit}>
        <p className="muted">A shelved alarm leaves the list and does not sound. It comes back when the time is up (or, one-shot, once it has returned to normal).</p>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={500} required data-testid="shelve-reason" autoFocus />
        </label>
        <label>
          For
          <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="shelve-duration">
            {shelveChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy || reason.trim().length < 3} data-testid="shelve-submit">
            Shelve
          </button>
          <button type="button" onClick={onClose}>
            Cancel
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
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(`Comment on ${alarm.id} saved in the journal`, () => station.transport.request('alarms.comment', { id: alarm.id, comment: comment.trim() }));
  };
  return (
    <ModalDialog title={`Comment on ${alarm.id}`} onClose={onClose} testId="comment-dialog">
      <form className="modal-form" onSubmit={onSubmit}>
        <label>
          Comment (goes into the alarm journal with your name)
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={4} maxLength={1000} required data-testid="comment-text" autoFocus />
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy || comment.trim().length === 0} data-testid="comment-submit">
            Save comment
          </button>
          <button type="button" onClick={onClose}>
            Cancel
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
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(`${alarm.id} taken out of service`, () => station.transport.request('alarms.setOutOfService', { id: alarm.id, outOfService: true, reason: reason.trim() }));
  };
  return (
    <ModalDialog title={`Take ${alarm.id} out of service`} onClose={onClose} testId="oos-dialog">
      <form className="modal-form" onSubmit={onSubmit}>
        <p className="muted">For maintenance: the alarm is not evaluated for the operator until it is returned to service. It does not count toward the alarm rates.</p>
        <label>
          Reason (work order, maintenance)
          <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={500} required data-testid="oos-reason" autoFocus />
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy || reason.trim().length < 3} data-testid="oos-submit">
            Take out of service
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

/** The signed-in user changes their own password: current one, new one twice (≥ 10 characters, not the name). */
import { useState, type FormEvent } from 'react';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { ModalDialog } from './modal-dialog.js';
import { newPasswordProblem } from './password-rules.js';
import { authRefusal } from './refusal.js';

export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!current) return setMessage('Enter your current password.');
    const problem = newPasswordProblem(auth?.user?.name ?? '', next, repeated);
    if (problem) return setMessage(problem);
    setBusy(true);
    setMessage(null);
    const reply = await station.changePassword(current, next);
    setBusy(false);
    const refusal = authRefusal(reply, 'active');
    if (refusal) {
      setMessage(refusal);
    } else {
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeated('');
    }
  };

  return (
    <ModalDialog title="Change your password" onClose={onClose} testId="change-password-dialog">
      {done ? (
        <>
          <p role="status" data-testid="change-password-done">
            ✓ Your password has been changed.
          </p>
          <div className="modal-actions">
            <button type="button" autoFocus onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="modal-form" onSubmit={(e) => void onSubmit(e)}>
          <label>
            <span>Current password</span>
            <input type="password" autoFocus autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} disabled={busy} data-testid="password-current" />
          </label>
          <label>
            <span>New password (at least 10 characters, not your user name)</span>
            <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} disabled={busy} data-testid="password-new" />
          </label>
          <label>
            <span>New password again</span>
            <input type="password" autoComplete="new-password" value={repeated} onChange={(e) => setRepeated(e.target.value)} disabled={busy} data-testid="password-repeat" />
          </label>
          <div className="modal-actions">
            <button type="submit" disabled={busy} data-testid="password-submit">
              {busy ? 'Changing…' : 'Change password'}
            </button>
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
          </div>
          {message ? (
            <p className="form-problem" role="alert" data-testid="password-message">
              {message}
            </p>
          ) : null}
        </form>
      )}
    </ModalDialog>
  );
}

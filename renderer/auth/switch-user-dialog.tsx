/**
 * Shift handover: the next operator signs in on this console without a sign-out in
 * between (the plant stays on screen). The runtime starts a new session; the station
 * model reconnects its socket and reloads values for the new user's areas.
 */
import { useState, type FormEvent } from 'react';
import { useStation } from '../app/station-context.js';
import { ModalDialog } from './modal-dialog.js';
import { authRefusal } from './refusal.js';

export function SwitchUserDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name || !password) return setMessage('Enter the user name and password of the user taking over.');
    setBusy(true);
    setMessage(null);
    const reply = await station.switchUser(name, password);
    setBusy(false);
    setPassword('');
    const refusal = authRefusal(reply, 'active');
    if (refusal) setMessage(refusal);
    else onClose();
  };

  return (
    <ModalDialog title="Switch user (shift handover)" onClose={onClose} testId="switch-user-dialog">
      <form className="modal-form" onSubmit={(e) => void onSubmit(e)}>
        <p className="muted">The user taking over signs in here; the current user is signed out.</p>
        <label>
          <span>User name</span>
          <input autoFocus autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} disabled={busy} data-testid="switch-name" />
        </label>
        <label>
          <span>Password</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} data-testid="switch-password" />
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy} data-testid="switch-submit">
            {busy ? 'Switching…' : 'Take over'}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
        {message ? (
          <p className="form-problem" role="alert" data-testid="switch-message">
            {message}
          </p>
        ) : null}
      </form>
    </ModalDialog>
  );
}

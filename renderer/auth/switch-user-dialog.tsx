/**
 * Shift handover: the next operator signs in on this console without a sign-out in
 * between (the plant stays on screen). The runtime starts a new session; the station
 * model reconnects its socket and reloads values for the new user's areas.
 */
import { useState, type FormEvent } from 'react';
import { useStation } from '../app/station-context.js';
import { ModalDialog } from './modal-dialog.js';
import { authRefusal } from './refusal.js';
import { useLang, useText } from '../i18n/language.js';
import { authText } from './auth-text.js';

export function SwitchUserDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const t = useText(authText);
  const lang = useLang();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name || !password) return setMessage(t('switchMissing'));
    setBusy(true);
    setMessage(null);
    const reply = await station.switchUser(name, password);
    setBusy(false);
    setPassword('');
    const refusal = authRefusal(reply, 'active', lang);
    if (refusal) setMessage(refusal);
    else onClose();
  };

  return (
    <ModalDialog title={t('switchTitle')} onClose={onClose} testId="switch-user-dialog">
      <form className="modal-form" onSubmit={(e) => void onSubmit(e)}>
        <p className="muted">{t('switchIntro')}</p>
        <label>
          <span>{t('userName')}</span>
          <input
            autoFocus
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={busy}
            data-testid="switch-name"
          />
        </label>
        <label>
          <span>{t('password')}</span>
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={busy}
            data-testid="switch-password"
          />
        </label>
        <div className="modal-actions">
          <button type="submit" disabled={busy} data-testid="switch-submit">
            {busy ? t('switching') : t('takeOver')}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            {t('cancel')}
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

/**
 * Shift handover: the next operator signs in on this console without a sign-out in
 * between (the plant stays on screen). The runtime starts a new session; the station
 * model reconnects its socket and reloads values for the new user's areas.
 */
import { useState } from 'react';
import { useStation } from '../app/station-context.js';
import { CredentialFields, FormDialog } from './modal-form.js';
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

  const onSubmit = async () => {
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
    <FormDialog
      title={t('switchTitle')}
      onClose={onClose}
      testId="switch-user-dialog"
      onSubmit={onSubmit}
      submitLabel={busy ? t('switching') : t('takeOver')}
      submitTestId="switch-submit"
      submitDisabled={busy}
      cancelLabel={t('cancel')}
      cancelDisabled={busy}
      problem={message}
      problemTestId="switch-message"
    >
      <p className="muted">{t('switchIntro')}</p>
      <CredentialFields
        name={name}
        onName={setName}
        password={password}
        onPassword={setPassword}
        nameLabel={t('userName')}
        passwordLabel={t('password')}
        busy={busy}
        testIdPrefix="switch"
      />
    </FormDialog>
  );
}

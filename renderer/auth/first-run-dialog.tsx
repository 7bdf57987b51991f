/**
 * Desktop first run: no administrator exists yet, so the console asks for the first one
 * (name and password twice; at least 10 characters and not the name). The station server
 * does this on its own console instead (`--init-admin`).
 */
import { useState, type FormEvent } from 'react';
import { useStation } from '../app/station-context.js';
import { CredentialFields, FormProblem, LabelledInput } from './modal-form.js';
import { newPasswordProblem, userNameProblem } from './password-rules.js';
import { authRefusal } from './refusal.js';
import { useLang, useText } from '../i18n/language.js';
import { authText } from './auth-text.js';

export function FirstRunDialog() {
  const station = useStation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const t = useText(authText);
  const lang = useLang();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = userNameProblem(name, lang) ?? newPasswordProblem(name, password, repeated, lang);
    if (problem) return setMessage(problem);
    setBusy(true);
    setMessage(null);
    const reply = await station.createFirstAdmin(name, password);
    setBusy(false);
    const refusal = authRefusal(reply, 'active', lang);
    if (refusal) setMessage(refusal);
  };

  return (
    <section className="signin" aria-labelledby="first-run-title" data-testid="first-run">
      <h1 id="first-run-title" tabIndex={-1}>
        {t('firstRunTitle')}
      </h1>
      <p>{t('firstRunIntro')}</p>
      <form className="signin-form" onSubmit={(e) => void onSubmit(e)}>
        <CredentialFields
          name={name}
          onName={setName}
          password={password}
          onPassword={setPassword}
          nameLabel={t('userName')}
          passwordLabel={t('firstRunPassword')}
          newPassword
          busy={busy}
          testIdPrefix="first-run"
        />
        <LabelledInput
          label={t('passwordAgain')}
          type="password"
          autoComplete="new-password"
          value={repeated}
          onChange={(e) => setRepeated(e.target.value)}
          disabled={busy}
          data-testid="first-run-repeat"
        />
        <button type="submit" disabled={busy} data-testid="first-run-submit">
          {busy ? t('creating') : t('firstRunSubmit')}
        </button>
        <FormProblem message={message} className="signin-message" testId="first-run-message" />
      </form>
    </section>
  );
}

/**
 * Sign-in: user name and password, the station's refusal message next to the form, and on
 * a demo console bound to this machine the demo accounts to pick from. On a desktop's
 * first run it creates the first administrator instead.
 */
import { useState, type FormEvent } from 'react';
import type { AuthStatus, Reply } from '../../preload/contract.js';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { FirstRunDialog } from '../auth/first-run-dialog.js';
import { SwitchUserDialog } from '../auth/switch-user-dialog.js';
import { LanguageSwitch } from '../auth/language-switch.js';
import { CredentialFields, FormProblem, LabelledInput } from '../auth/modal-form.js';
import { authRefusal } from '../auth/refusal.js';
import { useLang, useText } from '../i18n/language.js';
import { screensText } from './screens-text.js';

function refusalOf(
  reply: Reply<AuthStatus>,
  wanted: AuthStatus['state'],
  lang: ReturnType<typeof useLang>,
): string | null {
  if (reply.ok && reply.value.state === wanted) return null;
  return authRefusal(reply, wanted, lang);
}

export function SignInScreen() {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const firstRun = auth?.state === 'first-run';
  const desktop = station.transport.door === 'ipc';
  const t = useText(screensText);
  const lang = useLang();

  const run = async (action: () => Promise<Reply<AuthStatus>>) => {
    setBusy(true);
    setMessage(null);
    try {
      const refusal = refusalOf(await action(), 'active', lang);
      if (refusal) setMessage(refusal);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name || !password) return setMessage(t('enterNameAndPassword'));
    void run(() => (firstRun ? station.createFirstAdmin(name, password) : station.signIn(name, password)));
    setPassword('');
  };

  if (firstRun && desktop) return <FirstRunDialog />;

  if (firstRun && !desktop) {
    return (
      <section className="signin" data-testid="signin-first-run">
        <div className="signin-head">
          <h1 tabIndex={-1}>{t('noAdminTitle')}</h1>
          <LanguageSwitch />
        </div>
        <p>
          {t('noAdminText')}
          <br />
          <code>npm run serve -- --init-admin NAME</code>
        </p>
      </section>
    );
  }

  return (
    <section className="signin" aria-labelledby="signin-title">
      <div className="signin-head">
        <h1 id="signin-title" tabIndex={-1}>
          {firstRun ? t('createFirstAdmin') : t('signIn')}
        </h1>
        <LanguageSwitch />
      </div>
      <form className="signin-form" onSubmit={onSubmit} data-testid="signin-form">
        <CredentialFields
          name={name}
          onName={setName}
          password={password}
          onPassword={setPassword}
          nameLabel={t('userName')}
          passwordLabel={t('password')}
          newPassword={firstRun}
          busy={busy}
          testIdPrefix="signin"
        />
        <button type="submit" disabled={busy} data-testid="signin-submit">
          {busy ? t('signingIn') : firstRun ? t('createAndSignIn') : t('signIn')}
        </button>
        <FormProblem message={message ?? auth?.message} className="signin-message" testId="signin-message" />
      </form>
      {auth?.demoUsers && auth.demoUsers.length > 0 ? (
        <div className="demo-accounts">
          <h2>{t('demoTitle')}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('user')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('password')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('signIn')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {auth.demoUsers.map((u) => (
                <tr key={u.name}>
                  <td>{u.name}</td>
                  <td>{u.role}</td>
                  <td className="mono">{u.password}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy}
                      data-testid={`demo-signin-${u.name}`}
                      onClick={() => void run(() => station.signIn(u.name, u.password))}
                    >
                      {t('signInAs', { name: u.name })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** A locked console: the plant stays behind a veil until the user's password is given again. */
export function LockOverlay() {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);
  const t = useText(screensText);
  const lang = useLang();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const refusal = refusalOf(await station.unlock(password), 'active', lang);
      if (refusal) setMessage(refusal);
    } finally {
      setBusy(false);
      setPassword('');
    }
  };

  return (
    <div className="lock-veil" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-overlay">
      <form className="signin lock-box" onSubmit={(e) => void onSubmit(e)}>
        <h1 id="lock-title">{t('lockedTitle')}</h1>
        <p>
          {t('lockedAs')} <strong>{auth?.user?.name ?? '?'}</strong>. {t('lockedNotUpdated')}
        </p>
        <LabelledInput
          label={t('password')}
          type="password"
          autoFocus
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="unlock-password"
          disabled={busy}
        />
        <div className="lock-actions">
          <button type="submit" disabled={busy || !password} data-testid="unlock-submit">
            {t('unlock')}
          </button>
          <button type="button" disabled={busy} onClick={() => setSwitching(true)} data-testid="lock-switch-user">
            {t('lockSwitch')}
          </button>
          <button type="button" disabled={busy} onClick={() => void station.signOut()} data-testid="lock-signout">
            {t('lockSignOut')}
          </button>
        </div>
        {switching ? <SwitchUserDialog onClose={() => setSwitching(false)} /> : null}
        <FormProblem message={message} className="signin-message" />
      </form>
    </div>
  );
}

/**
 * Desktop first run: no administrator exists yet, so the console asks for the first one
 * (name and password twice; at least 10 characters and not the name). The station server
 * does this on its own console instead (`--init-admin`).
 */
import { useState, type FormEvent } from 'react';
import { useStation } from '../app/station-context.js';
import { newPasswordProblem, userNameProblem } from './password-rules.js';
import { authRefusal } from './refusal.js';

export function FirstRunDialog() {
  const station = useStation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = userNameProblem(name) ?? newPasswordProblem(name, password, repeated);
    if (problem) return setMessage(problem);
    setBusy(true);
    setMessage(null);
    const reply = await station.createFirstAdmin(name, password);
    setBusy(false);
    const refusal = authRefusal(reply, 'active');
    if (refusal) setMessage(refusal);
  };

  return (
    <section className="signin" aria-labelledby="first-run-title" data-testid="first-run">
      <h1 id="first-run-title">Create the first administrator</h1>
      <p>This console has no user accounts yet. The administrator creates the other users.</p>
      <form className="signin-form" onSubmit={(e) => void onSubmit(e)}>
        <label>
          <span>User name</span>
          <input autoFocus autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} disabled={busy} data-testid="first-run-name" />
        </label>
        <label>
          <span>Password (at least 10 characters, not the user name)</span>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} data-testid="first-run-password" />
        </label>
        <label>
          <span>Password again</span>
          <input type="password" autoComplete="new-password" value={repeated} onChange={(e) => setRepeated(e.target.value)} disabled={busy} data-testid="first-run-repeat" />
        </label>
        <button type="submit" disabled={busy} data-testid="first-run-submit">
          {busy ? 'Creating…' : 'Create administrator and sign in'}
        </button>
        {message ? (
          <p className="signin-message" role="alert" data-testid="first-run-message">
            {message}
          </p>
        ) : null}
      </form>
    </section>
  );
}

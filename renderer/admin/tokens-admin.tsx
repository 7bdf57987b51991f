/**
 * API tokens (read-only, for other systems): the list, creating one (shown once, with a
 * copy button — the station keeps only its hash), and revoking one after a confirmation.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { tokenInfoSchema } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { formatDateTime } from '../format/format-value.js';
import { tokenExpiry } from './admin-forms.js';

type TokenInfo = ReturnType<typeof tokenInfoSchema.parse>;

function asTokens(x: unknown): TokenInfo[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((item) => {
    const parsed = tokenInfoSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function tokenState(t: TokenInfo, now: number): string {
  if (t.revoked) return '⊘ REVOKED';
  if (t.expiresAt !== null && t.expiresAt <= now) return '⏲ EXPIRED';
  return 'valid';
}

function NewToken({ token, label, onDone }: { token: string; label: string; onDone: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    inputRef.current?.select();
    try {
      await navigator.clipboard.writeText(token);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The clipboard is not available here: the token is selected, copy it with Ctrl+C.');
    }
  };
  return (
    <div className="new-token" role="status" data-testid="token-created">
      <p>
        <strong>Token for “{label}”.</strong> Copy it now: it is shown only this once.
      </p>
      <div className="token-line">
        <input ref={inputRef} readOnly value={token} className="mono" aria-label="New API token" onFocus={(e) => e.target.select()} data-testid="token-value" />
        <button type="button" onClick={() => void copy()} data-testid="token-copy">
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied ? <p className="muted">{copied}</p> : null}
    </div>
  );
}

export function TokensAdmin() {
  const station = useStation();
  const [tokens, setTokens] = useState<TokenInfo[]>([]);
  const [label, setLabel] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<{ token: string; label: string } | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const now = Date.now();

  const load = useCallback(async () => {
    const reply = await station.transport.request('tokens.list', {});
    if (!reply.ok) return setNote(`${reply.error.code}: ${reply.error.message}`);
    setTokens(asTokens(reply.value));
  }, [station]);

  useEffect(() => {
    void load();
  }, [load]);

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    if (label.trim() === '') return setNote('Give the token a label (which system uses it).');
    const expiry = tokenExpiry(days, Date.now());
    if (!expiry.ok) return setNote(expiry.problem);
    const reply = await station.transport.request('tokens.create', { label: label.trim(), ...(expiry.expiresAt !== undefined ? { expiresAt: expiry.expiresAt } : {}) });
    if (!reply.ok) return setNote(`${reply.error.code}: ${reply.error.message}`);
    setNote(null);
    setCreated({ token: reply.value.token, label: label.trim() });
    setLabel('');
    setDays('');
    void load();
  };

  const revoke = async (id: number) => {
    setConfirmRevoke(null);
    const reply = await station.transport.request('tokens.revoke', { id });
    setNote(reply.ok ? `Token #${id} revoked.` : `${reply.error.code}: ${reply.error.message}`);
    void load();
  };

  return (
    <section className="panel admin-panel" aria-labelledby="tokens-title">
      <div className="panel-head">
        <h1 id="tokens-title" className="panel-title">
          API tokens
        </h1>
        <span className="muted">Read-only access for other systems: REST with “Authorization: Bearer …”.</span>
      </div>
      {created ? <NewToken token={created.token} label={created.label} onDone={() => setCreated(null)} /> : null}
      <form className="admin-form admin-form-row" onSubmit={(e) => void onCreate(e)}>
        <label>
          <span>Label</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} placeholder="e.g. historian export" data-testid="token-label" />
        </label>
        <label>
          <span>Expires after (days, empty: never)</span>
          <input value={days} onChange={(e) => setDays(e.target.value)} inputMode="numeric" data-testid="token-days" />
        </label>
        <button type="submit" data-testid="token-create">
          Create token
        </button>
      </form>
      {note ? (
        <p className="muted" role="status" data-testid="token-note">
          {note}
        </p>
      ) : null}
      <table className="grid tokens" data-testid="tokens-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Label</th>
            <th scope="col">Created by</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-token={t.id} className={t.revoked ? 'row-disabled' : undefined}>
              <td className="num">{t.id}</td>
              <td>{t.label}</td>
              <td>{t.createdBy}</td>
              <td className="mono nowrap">{formatDateTime(t.createdAt)}</td>
              <td className="mono nowrap">{t.expiresAt === null ? 'never' : formatDateTime(t.expiresAt)}</td>
              <td>{tokenState(t, now)}</td>
              <td>
                {t.revoked ? null : confirmRevoke === t.id ? (
                  <span className="confirm-inline">
                    Revoke #{t.id}?{' '}
                    <button type="button" autoFocus onClick={() => void revoke(t.id)} data-testid={`token-revoke-confirm-${t.id}`}>
                      Yes, revoke
                    </button>{' '}
                    <button type="button" onClick={() => setConfirmRevoke(null)}>
                      No
                    </button>
                  </span>
                ) : (
                  <button type="button" onClick={() => setConfirmRevoke(t.id)} data-testid={`token-revoke-${t.id}`}>
                    Revoke…
                  </button>
                )}
              </td>
            </tr>
          ))}
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={7} className="muted">
                No tokens.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

/**
 * API tokens (read-only, for other systems): the list, creating one (shown once, with a
 * copy button — the station keeps only its hash), and revoking one after a confirmation.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { tokenInfoSchema } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { formatDateTime } from '../format/format-value.js';
import { tokenExpiry } from './admin-forms.js';
import { useLang, useText } from '../i18n/language.js';
import { adminText } from './admin-text.js';
import { useRefusal } from '../app/use-refusal.js';

type TokenInfo = ReturnType<typeof tokenInfoSchema.parse>;

function asTokens(x: unknown): TokenInfo[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((item) => {
    const parsed = tokenInfoSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function tokenState(t: TokenInfo, now: number): 'revoked' | 'expired' | 'valid' {
  if (t.revoked) return 'revoked';
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  return 'valid';
}

function NewToken({ token, label, onDone }: { token: string; label: string; onDone: () => void }) {
  const tr = useText(adminText);
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    inputRef.current?.select();
    try {
      await navigator.clipboard.writeText(token);
      setCopied(tr('copied'));
    } catch {
      setCopied(tr('noClipboard'));
    }
  };
  return (
    <div className="new-token" role="status" data-testid="token-created">
      <p>
        <strong>{tr('tokenFor', { label })}</strong> {tr('copyNow')}
      </p>
      <div className="token-line">
        <input
          ref={inputRef}
          readOnly
          value={token}
          className="mono"
          aria-label={tr('newToken')}
          onFocus={(e) => e.target.select()}
          data-testid="token-value"
        />
        <button type="button" onClick={() => void copy()} data-testid="token-copy">
          {tr('copy')}
        </button>
        <button type="button" onClick={onDone}>
          {tr('done')}
        </button>
      </div>
      {copied ? <p className="muted">{copied}</p> : null}
    </div>
  );
}

export function TokensAdmin() {
  const tr = useText(adminText);
  const lang = useLang();
  const refuse = useRefusal();
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
    if (!reply.ok) return setNote(refuse(reply.error));
    setTokens(asTokens(reply.value));
  }, [station]);

  useEffect(() => {
    void load();
  }, [load]);

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    if (label.trim() === '') return setNote(tr('needLabel'));
    const expiry = tokenExpiry(days, Date.now(), lang);
    if (!expiry.ok) return setNote(expiry.problem);
    const reply = await station.transport.request('tokens.create', {
      label: label.trim(),
      ...(expiry.expiresAt !== undefined ? { expiresAt: expiry.expiresAt } : {}),
    });
    if (!reply.ok) return setNote(refuse(reply.error));
    setNote(null);
    setCreated({ token: reply.value.token, label: label.trim() });
    setLabel('');
    setDays('');
    void load();
  };

  const revoke = async (id: number) => {
    setConfirmRevoke(null);
    const reply = await station.transport.request('tokens.revoke', { id });
    setNote(reply.ok ? tr('tokenRevoked', { id }) : refuse(reply.error));
    void load();
  };

  return (
    <section className="panel admin-panel" aria-labelledby="tokens-title">
      <div className="panel-head">
        <h1 id="tokens-title" className="panel-title" tabIndex={-1}>
          {tr('tokensTitle')}
        </h1>
        <span className="muted">{tr('tokensIntro')}</span>
      </div>
      {created ? <NewToken token={created.token} label={created.label} onDone={() => setCreated(null)} /> : null}
      <form className="admin-form admin-form-row" onSubmit={(e) => void onCreate(e)}>
        <label>
          <span>{tr('label')}</span>
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            maxLength={100}
            placeholder={tr('labelPlaceholder')}
            data-testid="token-label"
          />
        </label>
        <label>
          <span>{tr('expiresAfter')}</span>
          <input value={days} onChange={(e) => setDays(e.target.value)} inputMode="numeric" data-testid="token-days" />
        </label>
        <button type="submit" data-testid="token-create">
          {tr('createToken')}
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
            <th scope="col">{tr('label')}</th>
            <th scope="col">{tr('createdBy')}</th>
            <th scope="col">{tr('created')}</th>
            <th scope="col">{tr('expires')}</th>
            <th scope="col">{tr('state')}</th>
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
              <td className="mono nowrap">{t.expiresAt === null ? tr('never') : formatDateTime(t.expiresAt)}</td>
              <td>{tr(tokenState(t, now))}</td>
              <td>
                {t.revoked ? null : confirmRevoke === t.id ? (
                  <span className="confirm-inline">
                    {tr('revokeQ', { id: t.id })}{' '}
                    <button
                      type="button"
                      autoFocus
                      onClick={() => void revoke(t.id)}
                      data-testid={`token-revoke-confirm-${t.id}`}
                    >
                      {tr('yesRevoke')}
                    </button>{' '}
                    <button type="button" onClick={() => setConfirmRevoke(null)}>
                      {tr('no')}
                    </button>
                  </span>
                ) : (
                  <button type="button" onClick={() => setConfirmRevoke(t.id)} data-testid={`token-revoke-${t.id}`}>
                    {tr('revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={7} className="muted">
                {tr('noTokens')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

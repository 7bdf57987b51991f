/**
 * Users: the list, a form to create one (name, password twice, role, areas), and an editor
 * for the selected user (role, areas, disable/enable, password reset). Every change goes
 * through `users.create` / `users.update`; the runtime audits it and may refuse (e.g. the
 * last administrator cannot be demoted or disabled) — its message is shown as given.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { userInfoSchema, type RoleName, type UserInfo } from '../../preload/contract.js';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { newPasswordProblem, userNameProblem } from '../auth/password-rules.js';
import { areasText, parseAreas, roleHint, roleNames } from './admin-forms.js';
import { useLang, useText } from '../i18n/language.js';
import { adminText } from './admin-text.js';
import { useRefusal } from '../app/use-refusal.js';

function asUsers(x: unknown): UserInfo[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((item) => {
    const parsed = userInfoSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function RolePicker({
  value,
  onChange,
  testId,
}: {
  value: RoleName;
  onChange: (role: RoleName) => void;
  testId: string;
}) {
  const lang = useLang();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as RoleName)} data-testid={testId}>
      {roleNames.map((r) => (
        <option key={r} value={r}>
          {r} — {roleHint(r, lang)}
        </option>
      ))}
    </select>
  );
}

type Note = { readonly kind: 'ok' | 'error'; readonly text: string } | null;

function NoteLine({ note, testId }: { note: Note; testId: string }) {
  if (!note) return null;
  return (
    <p
      className={note.kind === 'ok' ? 'form-ok' : 'form-problem'}
      role={note.kind === 'ok' ? 'status' : 'alert'}
      data-testid={testId}
    >
      {note.kind === 'ok' ? '✓ ' : '✕ '}
      {note.text}
    </p>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const tr = useText(adminText);
  const lang = useLang();
  const refuse = useRefusal();
  const station = useStation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [role, setRole] = useState<RoleName>('operator');
  const [areas, setAreas] = useState('');
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const parsedAreas = parseAreas(areas, lang);
    const problem =
      userNameProblem(name, lang) ??
      newPasswordProblem(name, password, repeated, lang) ??
      (parsedAreas.ok ? null : parsedAreas.problem);
    if (problem || !parsedAreas.ok) return setNote({ kind: 'error', text: problem ?? tr('checkForm') });
    setBusy(true);
    const reply = await station.transport.request('users.create', { name, password, role, areas: parsedAreas.areas });
    setBusy(false);
    if (!reply.ok) return setNote({ kind: 'error', text: refuse(reply.error) });
    setNote({ kind: 'ok', text: tr('userCreated', { name, role, areas: areasText(parsedAreas.areas, lang) }) });
    setName('');
    setPassword('');
    setRepeated('');
    setAreas('');
    onCreated();
  };

  return (
    <form className="admin-form" onSubmit={(e) => void onSubmit(e)} aria-labelledby="create-user-title">
      <h2 id="create-user-title">{tr('newUser')}</h2>
      <label>
        <span>{tr('userName')}</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          data-testid="user-create-name"
        />
      </label>
      <label>
        <span>{tr('passwordMin')}</span>
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          data-testid="user-create-password"
        />
      </label>
      <label>
        <span>{tr('passwordAgain')}</span>
        <input
          type="password"
          value={repeated}
          onChange={(e) => setRepeated(e.target.value)}
          autoComplete="new-password"
          data-testid="user-create-repeat"
        />
      </label>
      <label>
        <span>{tr('role')}</span>
        <RolePicker value={role} onChange={setRole} testId="user-create-role" />
      </label>
      <label>
        <span>{tr('areasEmptyAll')}</span>
        <input
          value={areas}
          onChange={(e) => setAreas(e.target.value)}
          placeholder="SS01, SS02"
          data-testid="user-create-areas"
        />
      </label>
      <button type="submit" disabled={busy} data-testid="user-create-submit">
        {tr('createUser')}
      </button>
      <NoteLine note={note} testId="user-create-note" />
    </form>
  );
}

function UserEditor({ user, self, onChanged }: { user: UserInfo; self: boolean; onChanged: () => void }) {
  const tr = useText(adminText);
  const lang = useLang();
  const refuse = useRefusal();
  const station = useStation();
  const [role, setRole] = useState<RoleName>(user.role);
  const [areas, setAreas] = useState(user.areas.join(', '));
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);

  const update = async (
    change: { role?: RoleName; areas?: string[]; disabled?: boolean; password?: string },
    done: string,
  ) => {
    setBusy(true);
    const reply = await station.transport.request('users.update', { name: user.name, ...change });
    setBusy(false);
    if (!reply.ok) return setNote({ kind: 'error', text: refuse(reply.error) });
    setNote({ kind: 'ok', text: done });
    onChanged();
  };

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseAreas(areas, lang);
    if (!parsed.ok) return setNote({ kind: 'error', text: parsed.problem });
    void update(
      { role, areas: parsed.areas },
      tr('roleChanged', { name: user.name, role, areas: areasText(parsed.areas, lang) }),
    );
  };

  const onReset = (e: FormEvent) => {
    e.preventDefault();
    const problem = newPasswordProblem(user.name, password, repeated, lang);
    if (problem) return setNote({ kind: 'error', text: problem });
    setPassword('');
    setRepeated('');
    void update({ password }, tr('passwordReset', { name: user.name }));
  };

  return (
    <section className="admin-editor" aria-labelledby="edit-user-title" data-testid="user-editor">
      <h2 id="edit-user-title">
        {tr('editUser', { name: user.name })}
        {self ? tr('you') : ''}
      </h2>
      <form className="admin-form" onSubmit={onSave}>
        <label>
          <span>{tr('role')}</span>
          <RolePicker value={role} onChange={setRole} testId="user-edit-role" />
        </label>
        <label>
          <span>{tr('areasEmptyAll')}</span>
          <input value={areas} onChange={(e) => setAreas(e.target.value)} data-testid="user-edit-areas" />
        </label>
        <button type="submit" disabled={busy} data-testid="user-edit-save">
          {tr('saveRoleAreas')}
        </button>
      </form>
      <form className="admin-form" onSubmit={onReset}>
        <label>
          <span>{tr('newPassword')}</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            data-testid="user-reset-password"
          />
        </label>
        <label>
          <span>{tr('again')}</span>
          <input
            type="password"
            value={repeated}
            onChange={(e) => setRepeated(e.target.value)}
            autoComplete="new-password"
            data-testid="user-reset-repeat"
          />
        </label>
        <button type="submit" disabled={busy} data-testid="user-reset-submit">
          {tr('resetPassword')}
        </button>
      </form>
      <div className="admin-form">
        <button
          type="button"
          disabled={busy || self}
          title={self ? tr('cannotDisableSelf') : undefined}
          onClick={() =>
            void update(
              { disabled: !user.disabled },
              user.disabled ? tr('userEnabled', { name: user.name }) : tr('userDisabled', { name: user.name }),
            )
          }
          data-testid="user-toggle-disabled"
        >
          {user.disabled ? tr('enableUser') : tr('disableUser')}
        </button>
      </div>
      <NoteLine note={note} testId="user-edit-note" />
    </section>
  );
}

export function UsersAdmin() {
  const tr = useText(adminText);
  const lang = useLang();
  const refuse = useRefusal();
  const station = useStation();
  const { auth } = useStationSnapshot();
  const [users, setUsers] = useState<UserInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(async () => {
    const reply = await station.transport.request('users.list', {});
    if (!reply.ok) return setError(refuse(reply.error));
    setError(null);
    setUsers(asUsers(reply.value));
  }, [station]);

  useEffect(() => {
    void load();
  }, [load]);

  const current = users.find((u) => u.name === selected) ?? null;

  return (
    <section className="panel admin-panel" aria-labelledby="users-title">
      <div className="panel-head">
        <h1 id="users-title" className="panel-title" tabIndex={-1}>
          {tr('usersTitle')}
        </h1>
        <span className="muted">{tr('nUsers', { n: users.length })}</span>
      </div>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="admin-columns">
        <div className="table-scroll">
          <table className="grid users" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{tr('user')}</th>
                <th scope="col">{tr('role')}</th>
                <th scope="col">{tr('areas')}</th>
                <th scope="col">{tr('status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr
                  key={u.name}
                  data-user={u.name}
                  data-disabled={u.disabled}
                  className={u.disabled ? 'row-disabled' : undefined}
                  aria-selected={u.name === selected}
                >
                  <th scope="row">{u.name}</th>
                  <td>{u.role}</td>
                  <td>{areasText(u.areas, lang)}</td>
                  <td>{u.disabled ? tr('disabledState') : tr('activeState')}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => setSelected(u.name)}
                      aria-pressed={u.name === selected}
                      data-testid={`user-edit-${u.name}`}
                    >
                      {tr('edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="admin-side">
          {current ? (
            <UserEditor
              key={current.name}
              user={current}
              self={current.name === auth?.user?.name}
              onChanged={() => {
                void load();
                // A change to one's own role or areas changes what this console may show.
                if (current.name === auth?.user?.name) void station.refreshAuth();
              }}
            />
          ) : null}
          <CreateUserForm onCreated={() => void load()} />
        </div>
      </div>
    </section>
  );
}

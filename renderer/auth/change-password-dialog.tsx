/** The signed-in user changes their own password: current one, new one twice (≥ 10 characters, not the name). */
import { useState } from 'react';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { ModalDialog } from './modal-dialog.js';
import { LabelledInput, ModalForm } from './modal-form.js';
import { newPasswordProblem } from './password-rules.js';
import { authRefusal } from './refusal.js';
import { useLang, useText } from '../i18n/language.js';
import { authText } from './auth-text.js';

export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const t = useText(authText);
  const lang = useLang();

  const onSubmit = async () => {
    if (!current) return setMessage(t('enterCurrent'));
    const problem = newPasswordProblem(auth?.user?.name ?? '', next, repeated, lang);
    if (problem) return setMessage(problem);
    setBusy(true);
    setMessage(null);
    const reply = await station.changePassword(current, next);
    setBusy(false);
    const refusal = authRefusal(reply, 'active', lang);
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
    <ModalDialog title={t('changeTitle')} onClose={onClose} testId="change-password-dialog">
      {done ? (
        <>
          <p role="status" data-testid="change-password-done">
            {t('changed')}
          </p>
          <div className="modal-actions">
            <button type="button" autoFocus onClick={onClose}>
              {t('close')}
            </button>
          </div>
        </>
      ) : (
        <ModalForm
          onSubmit={onSubmit}
          submitLabel={busy ? t('changing') : t('changeSubmit')}
          submitTestId="password-submit"
          submitDisabled={busy}
          cancelLabel={t('cancel')}
          onCancel={onClose}
          cancelDisabled={busy}
          problem={message}
          problemTestId="password-message"
        >
          <LabelledInput
            label={t('currentPassword')}
            type="password"
            autoFocus
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            disabled={busy}
            data-testid="password-current"
          />
          <LabelledInput
            label={t('newPassword')}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            disabled={busy}
            data-testid="password-new"
          />
          <LabelledInput
            label={t('newPasswordAgain')}
            type="password"
            autoComplete="new-password"
            value={repeated}
            onChange={(e) => setRepeated(e.target.value)}
            disabled={busy}
            data-testid="password-repeat"
          />
        </ModalForm>
      )}
    </ModalDialog>
  );
}

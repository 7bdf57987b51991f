/**
 * The keyboard-help overlay: every shortcut of the console (from `shortcuts.ts`), grouped
 * and translated. F1 or `?` (outside a text field) opens and closes it; so does the user
 * menu's entry. A native modal dialog, so Escape closes it and focus returns where it was.
 */
import { useEffect, useState } from 'react';
import { ModalDialog } from '../auth/modal-dialog.js';
import { useText } from '../i18n/language.js';
import { keyboardText } from './keyboard-text.js';
import { isHelpKey, SHORTCUT_GROUPS, SHORTCUTS } from './shortcuts.js';

const OPEN_EVENT = 'argus:keyboard-help';

/** Opens the help from anywhere (a menu entry, a button). */
export function openKeyboardHelp(): void {
  window.dispatchEvent(new Event(OPEN_EVENT));
}

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type)
  );
}

export function KeyboardHelp() {
  const [open, setOpen] = useState(false);
  const t = useText(keyboardText);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (!isHelpKey(e.key, inTextField(e.target))) return;
      e.preventDefault();
      setOpen((o) => !o);
    };
    const onOpen = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(OPEN_EVENT, onOpen);
    };
  }, []);

  if (!open) return null;
  return (
    <ModalDialog title={t('title')} onClose={() => setOpen(false)} testId="keyboard-help" className="keyboard-help">
      {SHORTCUT_GROUPS.map((group) => (
        <section key={group} data-group={group}>
          <h3>{t(`group_${group}`)}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('keys')}</th>
                <th scope="col">{t('action')}</th>
              </tr>
            </thead>
            <tbody>
              {SHORTCUTS.filter((s) => s.group === group).map((s) => (
                <tr key={`${s.keys.join()}-${s.does}`} data-testid="shortcut" data-keys={s.keys.join(' ')}>
                  <td>
                    {s.keys.map((k) => (
                      <kbd key={k}>{k}</kbd>
                    ))}
                  </td>
                  <td>{t(s.does)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <p className="muted">{t('closeHint')}</p>
      <div className="modal-actions">
        <button type="button" autoFocus onClick={() => setOpen(false)} data-testid="keyboard-help-close">
          {t('close')}
        </button>
      </div>
    </ModalDialog>
  );
}

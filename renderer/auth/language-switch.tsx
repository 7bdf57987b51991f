/** English / 中文: the language switcher of the sign-in screen and the user menu. Each name is written in its own language. */
import { LANGUAGES, languageName, langTag } from '../i18n/i18n.js';
import { useLang, useSetLang, useText } from '../i18n/language.js';
import { authText } from './auth-text.js';

export function LanguageSwitch({ className }: { className?: string }) {
  const lang = useLang();
  const setLang = useSetLang();
  const t = useText(authText);
  return (
    <span
      className={`choice-group${className ? ` ${className}` : ''}`}
      role="group"
      aria-label={t('language')}
      data-testid="language-switch"
    >
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={langTag(l)}
          aria-pressed={lang === l}
          onClick={() => setLang(l)}
          data-testid={`lang-${l}`}
        >
          {languageName[l]}
        </button>
      ))}
    </span>
  );
}

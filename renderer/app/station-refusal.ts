/**
 * A station refusal (`{ code, message }` from any reply) as the operator reads it: the code's
 * meaning in the operator's language, then the code and the station's own detail unchanged
 * (`设备离线（DEVICE_OFFLINE）：SS01-PLC did not answer`). Pure; components use `useRefusal` (use-refusal.ts).
 */
import { errorCodes, type ContractError, type ErrorCode } from '../../preload/contract.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { refusalText } from './app-text.js';

const isKnownCode = (code: string): code is ErrorCode => (errorCodes as readonly string[]).includes(code);

/** The code's words alone (`Device offline` / `设备离线`); an unknown code reads as a plain refusal. */
export function refusalWords(code: string, lang: Lang): string {
  const t = translator(refusalText, lang);
  return t(isKnownCode(code) ? code : 'other');
}

export function refusalMessage(error: Pick<ContractError, 'code' | 'message'>, lang: Lang): string {
  const t = translator(refusalText, lang);
  const message = error.message.trim();
  const words = refusalWords(error.code, lang);
  if (!message) return `${words} (${error.code})`;
  return t('withDetail', { words, code: error.code, message });
}

/** `refuse(reply.error)`: a station refusal in the signed-in user's language (see station-refusal.ts). */
import { useCallback } from 'react';
import type { ContractError } from '../../preload/contract.js';
import { useLang } from '../i18n/language.js';
import { refusalMessage } from './station-refusal.js';

export function useRefusal(): (error: Pick<ContractError, 'code' | 'message'>) => string {
  const lang = useLang();
  return useCallback((error) => refusalMessage(error, lang), [lang]);
}

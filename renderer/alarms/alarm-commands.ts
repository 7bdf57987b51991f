/** Parameters of the alarm commands as the forms build them. Pure. */
import type { RequestParams } from '../../preload/contract.js';

/** Shelve durations offered (minutes), and one-shot. */
export const shelveChoices: readonly { value: string; label: string }[] = [
  { value: 'one-shot', label: 'One-shot: until it returns to normal' },
  { value: '15', label: '15 minutes' },
  { value: '60', label: '1 hour' },
  { value: '240', label: '4 hours' },
  { value: '480', label: '8 hours (a shift)' },
  { value: '1440', label: '24 hours' },
];

export function shelveParams(id: string, reason: string, choice: string): RequestParams<'alarms.shelve'> {
  const minutes = Number(choice);
  return choice === 'one-shot' || !Number.isInteger(minutes) || minutes < 1
    ? { id, reason: reason.trim() }
    : { id, reason: reason.trim(), minutes };
}

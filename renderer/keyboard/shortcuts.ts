/**
 * Every keyboard shortcut of the console, in one list: the keyboard-help overlay (F1 or ?)
 * shows it, translated. A feature that adds a key adds a row here with its words in
 * `keyboard-text.ts`, so the help never lags behind the keys. Pure.
 */
import type { keyboardText } from './keyboard-text.js';

type KeyboardTextKey = keyof (typeof keyboardText)['en'];

export type ShortcutGroup = 'everywhere' | 'alarms' | 'tables' | 'tags' | 'menus';

export interface Shortcut {
  /** Keys as printed on the keyboard; several entries are alternatives. */
  readonly keys: readonly string[];
  /** What it does: a key of `keyboardText`. */
  readonly does: KeyboardTextKey;
  readonly group: ShortcutGroup;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['F1', '?'], does: 'help', group: 'everywhere' },
  { keys: ['Alt+1 … Alt+9'], does: 'navigate', group: 'everywhere' },
  { keys: ['Alt+←', 'Alt+→'], does: 'backForward', group: 'everywhere' },
  { keys: ['↑', '↓', '←', '→', 'Home', 'End', 'Enter'], does: 'screenTree', group: 'everywhere' },
  { keys: ['Esc'], does: 'close_', group: 'everywhere' },
  { keys: ['Tab', 'Shift+Tab'], does: 'tab', group: 'everywhere' },
  { keys: ['F8'], does: 'acknowledge', group: 'alarms' },
  { keys: ['Shift+F8'], does: 'acknowledgePage', group: 'alarms' },
  { keys: ['F9'], does: 'silence', group: 'alarms' },
  { keys: ['↑', '↓', 'Home', 'End'], does: 'selectAlarm', group: 'alarms' },
  { keys: ['Enter'], does: 'gotoScreen', group: 'alarms' },
  { keys: ['C'], does: 'comment', group: 'alarms' },
  { keys: ['S'], does: 'shelve', group: 'alarms' },
  { keys: ['O'], does: 'outOfService', group: 'alarms' },
  { keys: ['/'], does: 'filter', group: 'tags' },
  { keys: ['↑', '↓', 'PgUp', 'PgDn'], does: 'rows', group: 'tags' },
  { keys: ['→', '←'], does: 'valueCell', group: 'tags' },
  { keys: ['Enter'], does: 'openValue', group: 'tags' },
  { keys: ['T'], does: 'openTrend', group: 'tags' },
  { keys: ['↑', '↓'], does: 'menuItems', group: 'menus' },
];

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = ['everywhere', 'alarms', 'tags', 'menus'];

/** True for a key event that should open the help: F1, or `?` outside a text field. */
export function isHelpKey(key: string, inTextField: boolean): boolean {
  return key === 'F1' || (key === '?' && !inTextField);
}

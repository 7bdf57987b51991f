import { describe, expect, it } from 'vitest';
import { isHelpKey, SHORTCUT_GROUPS, SHORTCUTS } from '../../renderer/keyboard/shortcuts.js';
import { keyboardText } from '../../renderer/keyboard/keyboard-text.js';

describe('keyboard shortcuts', () => {
  it('documents the alarm keys and the help key', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    for (const k of ['F1', '?', 'F8', 'Shift+F8', 'F9', '/']) expect(keys).toContain(k);
  });
  it('describes every shortcut in both languages and shows every group', () => {
    for (const s of SHORTCUTS) {
      expect(keyboardText.en[s.does]).toBeTruthy();
      expect(keyboardText.zh[s.does]).toMatch(/[\u4e00-\u9fff]/);
      expect(SHORTCUT_GROUPS).toContain(s.group);
    }
  });
  it('opens the help with F1 anywhere and with ? outside text fields', () => {
    expect(isHelpKey('F1', true)).toBe(true);
    expect(isHelpKey('?', false)).toBe(true);
    expect(isHelpKey('?', true)).toBe(false);
    expect(isHelpKey('F2', false)).toBe(false);
  });
});

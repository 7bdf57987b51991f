/**
 * The tags table's rows as markup (react-dom/server): in a long list a row out of sight is
 * quiet (its value not followed), yet its value cell is the same control as a live row's —
 * the `data-tag` element, focusable, a link to its trend, or for a user who may write a
 * writable tag the button to its faceplate — so Tab, a click or a test always finds it.
 * (The waking on focus is tested end to end in test/e2e/hierarchy.test.ts.)
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../preload/contract.js';
import { FaceplateContext } from '../../renderer/faceplates/faceplate-context.js';
import { TagRow } from '../../renderer/screens/tags-table.js';
import { RowVisibility } from '../../renderer/screens/row-visibility.js';
import { renderInStation } from '../support/station-render.js';

const temperature: TagInfo = {
  name: 'SS02.HX.T_SEC_SUP',
  device: 'PLC-SS02',
  description: { en: 'Secondary supply temperature', zh: '二次供水温度' },
  unit: '°C',
  kind: 'analog',
  decimals: 1,
  writable: false,
  critical: false,
  intervalMs: 1000,
};
const setpoint: TagInfo = { ...temperature, name: 'SS02.HC.OFFSET', unit: 'K', writable: true };

/** A long list's visibility that never reports a row on screen (as for a row far below). */
const offScreen = () =>
  new RowVisibility(null, 300, () => ({
    observe: () => undefined,
    unobserve: () => undefined,
    disconnect: () => undefined,
  }));

function row(info: TagInfo, visibility: RowVisibility | null, canWrite = false): string {
  const faceplates = { canWrite, openTag: () => undefined, openEquipmentFaceplate: () => undefined };
  return renderInStation(
    createElement(
      FaceplateContext,
      { value: faceplates },
      createElement(
        'table',
        null,
        createElement('tbody', null, createElement(TagRow, { info, first: false, visibility })),
      ),
    ),
    [info],
    [{ tag: info.name, v: 63.25, q: 'Good' }],
  );
}

/** The value cell's control: its tag, role, tab index and hooks. */
function control(html: string): Record<string, string | undefined> {
  const cell = /<td class="num value-cell">([\s\S]*?)<\/td>/.exec(html)?.[1] ?? '';
  const tag = /<span[^>]*data-tag="[^"]*"[^>]*>/.exec(cell)?.[0] ?? '';
  const attr = (name: string) => new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1];
  return {
    tag: attr('data-tag'),
    quality: attr('data-quality'),
    tabindex: attr('tabindex'),
    role: attr('role'),
    trend: attr('data-trend'),
    writable: attr('data-writable'),
  };
}

describe('tags table rows', () => {
  it('a quiet row (out of sight in a long list) is marked quiet and still shows its last value', () => {
    const html = row(temperature, offScreen());
    expect(html).toContain('data-live="false"');
    expect(html).toContain('63.3');
  });

  // The live value (renderer/values/live-value.tsx) carries the same attributes; it cannot be
  // rendered without a browser (its limits store has no server snapshot).
  it("a quiet row's value is a focusable link to its trend, as a live row's", () => {
    expect(control(row(temperature, offScreen()))).toEqual({
      tag: 'SS02.HX.T_SEC_SUP',
      quality: 'Good',
      tabindex: '0',
      role: 'link',
      trend: 'true',
      writable: undefined,
    });
  });

  it("a quiet row's writable value is the faceplate button for a user who may write, else a link to its trend", () => {
    expect(control(row(setpoint, offScreen(), true))).toEqual({
      tag: 'SS02.HC.OFFSET',
      quality: 'Good',
      tabindex: '0',
      role: 'button',
      trend: undefined,
      writable: 'true',
    });
    expect(control(row(setpoint, offScreen(), false))).toMatchObject({ role: 'link', trend: 'true', tabindex: '0' });
  });
});

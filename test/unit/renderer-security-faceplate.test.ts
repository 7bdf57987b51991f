/**
 * The faceplate's write preparation: entries checked against type and engineering range,
 * the old → new confirmation text, the steps for critical tags, and the station's answer
 * in words.
 */
import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../preload/contract.js';
import {
  changeText,
  checkEntry,
  describeWriteReply,
  nextAfterConfirm,
  rangeText,
  reasonProblem,
} from '../../renderer/faceplates/write-request.js';

const analog: TagInfo = {
  name: 'SS01.MU.P_SP',
  device: 'OPC',
  description: { en: 'Make-up pressure setpoint' },
  unit: 'bar',
  kind: 'analog',
  range: [1, 3],
  decimals: 2,
  writable: true,
  critical: false,
  intervalMs: 500,
};
const digital: TagInfo = {
  ...analog,
  name: 'SS01.CV.AUTO',
  unit: '',
  kind: 'digital',
  range: [0, 1],
  decimals: 0,
  states: { false: 'Manual', true: 'Auto' },
  critical: true,
};

describe('checkEntry', () => {
  it.each([
    ['2.5', 2.5],
    [' 1 ', 1],
    ['3', 3],
    ['1,75', 1.75],
    ['.5e0', null],
    ['', null],
    ['abc', null],
    ['1e1', null],
    ['0.99', null],
    ['3.01', null],
    ['Infinity', null],
    ['NaN', null],
  ])('analog %j → %j', (text, expected) => {
    const r = checkEntry(analog, text);
    if (expected === null) expect(r.ok).toBe(false);
    else expect(r).toEqual({ ok: true, value: expected });
  });

  it('names the range when a value is outside it', () => {
    const r = checkEntry(analog, '9');
    expect(r).toEqual({ ok: false, problem: 'Out of range: enter a value from 1.00 … 3.00 bar.' });
  });

  it('refuses an analog tag without a range (the station would too)', () => {
    const { range: _range, ...noRange } = analog;
    const r = checkEntry(noRange, '2');
    expect(r.ok).toBe(false);
  });

  it('takes true/false for a digital tag and nothing else', () => {
    expect(checkEntry(digital, true)).toEqual({ ok: true, value: true });
    expect(checkEntry(digital, false)).toEqual({ ok: true, value: false });
    expect(checkEntry(digital, '').ok).toBe(false);
    expect(checkEntry(digital, 'true').ok).toBe(false);
  });

  it('limits text values to 1000 characters', () => {
    const text: TagInfo = { ...analog, kind: 'text', unit: '' };
    expect(checkEntry(text, 'abc')).toEqual({ ok: true, value: 'abc' });
    expect(checkEntry(text, 'x'.repeat(1001)).ok).toBe(false);
  });
});

describe('confirmation texts', () => {
  it('shows old → new with unit and the project decimals', () => {
    expect(changeText(1.8, 2.25, analog)).toBe('1.80 bar → 2.25 bar');
    expect(changeText(undefined, 2, analog)).toBe('#### bar → 2.00 bar');
  });

  it('uses the state labels for digital tags', () => {
    expect(changeText(false, true, digital)).toBe('Manual → Auto');
    expect(changeText(1, false, digital)).toBe('Auto → Manual');
  });

  it('gives the range only for analog tags that have one', () => {
    expect(rangeText(analog)).toBe('1.00 … 3.00 bar');
    expect(rangeText(digital)).toBeNull();
  });
});

describe('critical tags', () => {
  it('need a second confirmation', () => {
    expect(nextAfterConfirm('confirm', true)).toBe('confirm-critical');
    expect(nextAfterConfirm('confirm-critical', true)).toBe('sending');
    expect(nextAfterConfirm('confirm', false)).toBe('sending');
  });

  it('need a reason that is not blank', () => {
    expect(reasonProblem(true, '')).toMatch(/reason/);
    expect(reasonProblem(true, '   ')).toMatch(/reason/);
    expect(reasonProblem(true, 'x'.repeat(501))).toMatch(/500/);
    expect(reasonProblem(true, 'shift handover')).toBeNull();
    expect(reasonProblem(false, '')).toBeNull();
  });
});

describe('describeWriteReply', () => {
  it('confirmed: names the read-back value', () => {
    const o = describeWriteReply(
      { ok: true, value: { tag: 't', old: 1.8, value: 2.25, confirmed: true, readBack: 2.25 } },
      analog,
    );
    expect(o).toEqual({ kind: 'confirmed', text: 'Written and confirmed: the device reads back 2.25 bar.' });
  });

  it('unconfirmed: says so, with or without a read-back value', () => {
    expect(
      describeWriteReply(
        { ok: true, value: { tag: 't', old: 1.8, value: 2.25, confirmed: false, readBack: 1.8 } },
        analog,
      ),
    ).toMatchObject({
      kind: 'unconfirmed',
      text: expect.stringContaining('reads back 1.80 bar'),
    });
    expect(
      describeWriteReply(
        { ok: true, value: { tag: 't', old: 1.8, value: 2.25, confirmed: false, readBack: null } },
        analog,
      ).text,
    ).toContain('no read-back value');
  });

  it.each(['WRITE_REJECTED', 'DEVICE_OFFLINE', 'FORBIDDEN', 'UNAVAILABLE'] as const)(
    'refused with %s: code and the station reason',
    (code) => {
      const o = describeWriteReply({ ok: false, error: { code, message: 'the reason from the station' } }, analog);
      expect(o.kind).toBe('refused');
      expect(o.text).toContain(code);
      expect(o.text).toContain('the reason from the station');
    },
  );
});

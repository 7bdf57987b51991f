import { describe, expect, it } from 'vitest';
import { RECONNECT_MAX_MS, reconnectDelayMs } from '../../renderer/transport/backoff.js';
import {
  asDeviceStatuses,
  asReply,
  asScreens,
  asSessionInfo,
  asTagValues,
  parseServerFrame,
} from '../../renderer/transport/loose-validate.js';

describe('loose validation of station data', () => {
  it('keeps well-formed tag values and drops malformed ones one by one', () => {
    const values = asTagValues([
      { tag: 'A', v: 1.5, q: 'Good', ts: 1, rt: 2 },
      { tag: 'B', v: 1.5, q: 'Excellent', ts: 1, rt: 2 },
      { tag: 'C', v: { nested: true }, q: 'Good', ts: 1, rt: 2 },
      { tag: 'D', v: null, q: 'Bad', r: 'communication lost', ts: 1, rt: 2 },
      { v: 1, q: 'Good', ts: 1, rt: 2 },
      'E',
      null,
    ]);
    expect(values.map((v) => v.tag)).toEqual(['A', 'D']);
    expect(values[1]!.r).toBe('communication lost');
  });

  it('answers an empty list for anything that is not a list', () => {
    expect(asTagValues({ tag: 'A' })).toEqual([]);
    expect(asTagValues(undefined)).toEqual([]);
    expect(asDeviceStatuses('x')).toEqual([]);
    expect(asScreens(42)).toEqual([]);
  });

  it('keeps a screen when one element is malformed, dropping only that element', () => {
    const [screen] = asScreens([
      {
        id: 'overview',
        title: 'Overview',
        level: 1,
        width: 1200,
        height: 700,
        elements: [
          { kind: 'label', text: 'Hello', x: 1, y: 2 },
          { kind: 'pump', x: 1 },
          { kind: 'hologram', x: 1, y: 2 },
          { kind: 'value', tag: 'A', x: 3, y: 4 },
        ],
      },
      { id: 'broken', width: -1, height: 10, elements: [] },
    ]);
    expect(screen?.elements.map((e) => e.kind)).toEqual(['label', 'value']);
    expect(asScreens([{ id: 'broken', width: -1, height: 10, elements: [] }])).toEqual([]);
  });

  it('keeps a title and label given in both languages, and falls back to the id for a title that is neither', () => {
    const [both, odd] = asScreens([
      {
        id: 'plant',
        title: { en: 'Plant overview', zh: '全厂总览' },
        label: { en: 'Plant', zh: '全厂', extra: 1 },
        level: 1,
        width: 1200,
        height: 700,
        elements: [],
      },
      { id: 'odd', title: 42, label: { zh: '无英文' }, level: 2, width: 10, height: 10, elements: [] },
    ]);
    expect(both?.title).toEqual({ en: 'Plant overview', zh: '全厂总览' });
    expect(both?.label).toEqual({ en: 'Plant', zh: '全厂' });
    expect(odd?.title).toBe('odd');
    expect(odd && 'label' in odd).toBe(false);
  });

  it('checks session info against the contract', () => {
    const info = {
      product: 'Argus',
      version: '0.1.0',
      mode: 'station',
      projectName: 'Demo',
      simulated: true,
      serverTime: 1,
    };
    expect(asSessionInfo(info)?.simulated).toBe(true);
    expect(asSessionInfo({ ...info, product: 'Other' })).toBeNull();
  });

  it('classifies server frames and survives garbage', () => {
    expect(parseServerFrame('{"id":3,"reply":{"ok":true,"value":[1]}}')).toEqual({
      kind: 'reply',
      id: 3,
      reply: { ok: true, value: [1] },
    });
    expect(parseServerFrame('{"event":"tags.changed","data":{"values":[]}}')).toMatchObject({
      kind: 'event',
      event: 'tags.changed',
    });
    expect(parseServerFrame('not json')).toBeNull();
    expect(parseServerFrame('[1,2]')).toBeNull();
    expect(parseServerFrame(new Uint8Array([1]))).toBeNull();
    expect(parseServerFrame('{"id":4,"reply":"nonsense"}')).toEqual({
      kind: 'reply',
      id: 4,
      reply: { ok: false, error: { code: 'INTERNAL', message: 'malformed reply from station' } },
    });
  });

  it('carries error replies through', () => {
    expect(asReply({ ok: false, error: { code: 'NOT_FOUND', message: 'no such tag' } })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such tag' },
    });
  });
});

describe('reconnectDelayMs', () => {
  it('grows from half a second and stays capped', () => {
    expect(reconnectDelayMs(0, 0.5)).toBe(500);
    expect(reconnectDelayMs(1, 0.5)).toBe(1000);
    expect(reconnectDelayMs(3, 0.5)).toBe(4000);
    expect(reconnectDelayMs(50, 0.5)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(50, 0.999)).toBeLessThanOrEqual(RECONNECT_MAX_MS);
  });

  it('spreads retries by ±20 % and tolerates odd input', () => {
    expect(reconnectDelayMs(2, 0)).toBe(1600);
    expect(reconnectDelayMs(2, 1)).toBe(2400);
    expect(reconnectDelayMs(-3, 0.5)).toBe(500);
    expect(reconnectDelayMs(Number.NaN, 0.5)).toBe(500);
  });
});

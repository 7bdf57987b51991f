import { describe, expect, it } from 'vitest';
import { ModbusDiagnostics } from '../../protocols/modbus/diagnostics.js';
import { exceptionName } from '../../protocols/modbus/exceptions.js';

describe('Modbus device diagnostics', () => {
  it('counts requests and errors by kind, and gives round-trip percentiles', () => {
    const d = new ModbusDiagnostics();
    for (let i = 1; i <= 100; i++) d.recordRequest(true, i);
    d.recordRequest(false, 1000, 'timeout');
    d.recordRequest(false, 2, 'exception');
    d.recordRequest(false, 2, 'malformed');
    d.recordError('connect');
    const snap = d.snapshot();
    expect(snap).toMatchObject({
      requests: 103,
      errors: 4,
      timeouts: 1,
      exceptions: 1,
      malformedAnswers: 1,
      connectFailures: 1,
      lastRttMs: 100,
      rttP50Ms: 50,
      rttP95Ms: 95,
    });
  });

  it('percentiles cover the last 256 answers only', () => {
    const d = new ModbusDiagnostics();
    for (let i = 0; i < 1000; i++) d.recordRequest(true, 1000);
    for (let i = 0; i < 256; i++) d.recordRequest(true, 1);
    expect(d.rttPercentile(95)).toBe(1);
  });

  it('percentiles read between answers follow every new answer (and do not disturb the window)', () => {
    const d = new ModbusDiagnostics();
    for (let i = 1; i <= 100; i++) d.recordRequest(true, 101 - i);
    expect(d.rttPercentile(95)).toBe(95);
    expect(d.rttPercentile(50)).toBe(50);
    for (let i = 0; i < 20; i++) d.recordRequest(true, 1000);
    expect(d.rttPercentile(95)).toBe(1000);
    expect(d.snapshot()).toMatchObject({ lastRttMs: 1000, rttP50Ms: 60 });
  });

  it('has no round-trip figures before the first answer', () => {
    expect(new ModbusDiagnostics().snapshot().rttP50Ms).toBeUndefined();
  });

  it('names exception codes as the specification does', () => {
    expect(exceptionName(2)).toBe('02 Illegal Data Address');
    expect(exceptionName(0x0b)).toBe('0B Gateway Target Device Failed to Respond');
    expect(exceptionName(0x13)).toBe('13 Unknown Exception');
  });
});

/**
 * A classifier's predictive warning is confirmed by a conventional alarm in the same area
 * after it and within the lead horizon; not by one later, earlier, or in another area. One
 * conventional alarm confirms every warning it follows within the horizon.
 */
import { describe, expect, it } from 'vitest';
import { areaOfTag, confirmWarnings } from '../../main/runtime/predictions/warning-confirmation.js';

const MIN = 60_000;
const H = 2 * 60 * MIN;
const T0 = Date.UTC(2026, 10, 30, 8, 0);
const warning = (atMin: number, tag = 'SS01.FAULT.P_LEAK') => ({ at: T0 + atMin * MIN, tag });
const alarm = (atMin: number, tag = 'SS01.P1.PT_OUT') => ({ at: T0 + atMin * MIN, tag });

describe('confirmWarnings', () => {
  it('confirms a warning followed by a conventional alarm in its area within the horizon', () => {
    expect(confirmWarnings([warning(0)], [alarm(90)], H)).toEqual({ raised: 1, confirmed: 1 });
    expect(confirmWarnings([warning(0)], [alarm(120)], H)).toEqual({ raised: 1, confirmed: 1 });
  });

  it('does not confirm it when the conventional alarm comes after the horizon', () => {
    expect(confirmWarnings([warning(0)], [alarm(121)], H)).toEqual({ raised: 1, confirmed: 0 });
  });

  it('does not count a conventional alarm in another area', () => {
    expect(confirmWarnings([warning(0)], [alarm(10, 'SS02.P1.PT_OUT')], H)).toEqual({ raised: 1, confirmed: 0 });
  });

  it('does not count a conventional alarm before the warning', () => {
    expect(confirmWarnings([warning(30)], [alarm(10), alarm(30)], H)).toEqual({ raised: 1, confirmed: 0 });
  });

  it('lets one conventional alarm confirm two warnings', () => {
    const r = confirmWarnings([warning(0), warning(45), warning(200)], [alarm(60), alarm(-5)], H);
    expect(r).toEqual({ raised: 3, confirmed: 2 });
  });

  it('ignores rows without an area and refuses a horizon that is not positive', () => {
    expect(confirmWarnings([warning(0)], [{ at: T0 + MIN, tag: null }], H)).toEqual({ raised: 1, confirmed: 0 });
    expect(areaOfTag('SS01.P1.PT_OUT')).toBe('SS01');
    expect(areaOfTag('NODOT')).toBeNull();
    expect(() => confirmWarnings([], [], 0)).toThrow(/horizon must be positive/);
  });
});

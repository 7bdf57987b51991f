import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JournalRows } from '../../main/runtime/historian/journal-rows.js';

describe('JournalRows: the oldest journal record a tail still needs', () => {
  it('is the fallback with no tail, the oldest start otherwise, and moves on as tails are written', () => {
    const rows = new JournalRows();
    expect(rows.oldest(8)).toBe(8);
    rows.hold(3);
    rows.hold(3);
    rows.hold(5);
    expect(rows.oldest(8)).toBe(3);
    rows.drop(3);
    expect(rows.oldest(8)).toBe(3);
    rows.drop(3);
    expect(rows.oldest(8)).toBe(5);
    rows.drop(5);
    expect(rows.oldest(8)).toBe(8);
    rows.drop(5); // a tail that held no record: nothing changes
    expect(rows.oldest(8)).toBe(8);
  });

  it('matches a walk over every tail for any order of holds and drops', () => {
    // Model: the tails themselves (their first records); the floor by walking them all.
    const op = fc.oneof(fc.record({ hold: fc.integer({ min: 0, max: 40 }) }), fc.record({ drop: fc.nat(20) }));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 10 }),
        fc.array(op, { maxLength: 60 }),
        (initial, ops) => {
          const tails = [...initial];
          const rows = new JournalRows();
          rows.reset(initial);
          for (const o of ops) {
            if ('hold' in o) {
              tails.push(o.hold);
              rows.hold(o.hold);
            } else if (tails.length > 0) {
              const [row] = tails.splice(o.drop % tails.length, 1);
              rows.drop(row as number);
            }
            const walked = tails.reduce((m, r) => Math.min(m, r), 100);
            expect(rows.oldest(100)).toBe(walked);
          }
        },
      ),
    );
  });
});

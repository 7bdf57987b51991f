/** The Tags table's row visibility bookkeeping, with a fake observer in place of IntersectionObserver. */
import { describe, expect, it } from 'vitest';
import { RowVisibility, type RowObserverFactory } from '../../renderer/screens/row-visibility.js';

function fakeObserver() {
  const observed = new Set<object>();
  let report: Parameters<RowObserverFactory>[0] = () => undefined;
  let options: { root: unknown; marginPx: number } | null = null;
  const factory: RowObserverFactory = (onChange, root, marginPx) => {
    report = onChange;
    options = { root, marginPx };
    return {
      observe: (t) => void observed.add(t),
      unobserve: (t) => void observed.delete(t),
      disconnect: () => observed.clear(),
    };
  };
  return {
    factory,
    observed,
    options: () => options,
    show: (target: object, isIntersecting: boolean) => report([{ target: target as Element, isIntersecting }]),
  };
}

describe('RowVisibility', () => {
  it('tells each row when it comes on and goes off screen, and forgets rows it no longer watches', () => {
    const fake = fakeObserver();
    const root = {} as Element;
    const visibility = new RowVisibility(root, 250, fake.factory);
    expect(fake.options()).toEqual({ root, marginPx: 250 });
    const a = {} as Element;
    const b = {} as Element;
    const seen: string[] = [];
    const stopA = visibility.watch(a, (on) => seen.push(`a ${on}`));
    visibility.watch(b, (on) => seen.push(`b ${on}`));
    expect(fake.observed.size).toBe(2);
    fake.show(a, true);
    fake.show(b, false);
    fake.show(a, false);
    expect(seen).toEqual(['a true', 'b false', 'a false']);
    stopA();
    expect(fake.observed.has(a)).toBe(false);
    fake.show(a, true); // a late report for a row gone: nobody is told
    expect(seen).toHaveLength(3);
    expect(visibility.watching).toBe(1);
    visibility.dispose();
    expect(fake.observed.size).toBe(0);
    expect(visibility.watching).toBe(0);
  });
});

/**
 * afterNextPaint: work runs in a task after the next animation frame (after the browser has
 * painted it), or after the fallback time in a window that draws no frames; cancelled
 * work never runs. Animation frames are driven by hand here (Node has none).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterNextPaint } from '../../renderer/state/after-paint.js';

let frames: Map<number, FrameRequestCallback>;
let nextFrame = 1;
const drawFrame = () => {
  const due = [...frames.values()];
  frames.clear();
  for (const f of due) f(performance.now());
};

beforeEach(() => {
  vi.useFakeTimers();
  frames = new Map();
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => {
    frames.set(nextFrame, f);
    return nextFrame++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('afterNextPaint', () => {
  it('runs in a task after the next frame, not in the frame itself, and once', () => {
    const work = vi.fn();
    afterNextPaint(work);
    expect(work).not.toHaveBeenCalled();
    drawFrame();
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(work).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    drawFrame();
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs after the fallback time in a window that draws no frames', () => {
    const work = vi.fn();
    afterNextPaint(work, 250);
    vi.advanceTimersByTime(249);
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(work).toHaveBeenCalledTimes(1);
    drawFrame();
    vi.advanceTimersByTime(0);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled', () => {
    const work = vi.fn();
    const cancel = afterNextPaint(work);
    drawFrame();
    cancel();
    vi.advanceTimersByTime(1000);
    expect(work).not.toHaveBeenCalled();
  });
});

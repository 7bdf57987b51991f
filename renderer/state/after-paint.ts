/**
 * Runs work after the browser has painted the current frame: a task queued from the next
 * animation frame. A hidden window draws no frames, so a fallback timer runs it there (the
 * horn must sound in a minimised console too). Returns a cancel function.
 */
export function afterNextPaint(work: () => void, fallbackMs = 250): () => void {
  let done = false;
  let task: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    if (task !== null) clearTimeout(task);
    work();
  };
  const frame = requestAnimationFrame(() => {
    task = setTimeout(run, 0);
  });
  const fallback = setTimeout(run, fallbackMs);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    if (task !== null) clearTimeout(task);
  };
}

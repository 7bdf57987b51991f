/** Geometry of the mimic: flow arrows along pipes and the flow direction at a symbol. Pure: no DOM. */
export type Point = readonly [number, number];

export interface Arrow {
  readonly x: number;
  readonly y: number;
  /** Direction of flow in degrees (0 = +x, 90 = +y, i.e. down on screen). */
  readonly angle: number;
}

const angleOf = (a: Point, b: Point): number => (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;

/**
 * Flow arrows for a pipe whose points run in the direction of flow: one at the middle of
 * each segment long enough to carry one (`minLength`).
 */
export function flowArrows(points: readonly Point[], minLength = 80): Arrow[] {
  const arrows: Arrow[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length < minLength) continue;
    arrows.push({ x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2, angle: angleOf(a, b) });
  }
  return arrows;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/**
 * The flow direction (degrees) of the pipe segment passing through a symbol at `p`, so a
 * pump or valve is drawn along its pipe; null when no pipe passes within `tolerance`.
 */
export function flowAngleAt(pipes: readonly (readonly Point[])[], p: Point, tolerance = 4): number | null {
  let best: { d: number; angle: number } | null = null;
  for (const points of pipes) {
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const d = distanceToSegment(p, a, b);
      if (d <= tolerance && (!best || d < best.d)) best = { d, angle: angleOf(a, b) };
    }
  }
  return best ? best.angle : null;
}

/** Anything placed at a point: the mimic elements other than pipes. */
export interface Placed {
  readonly x: number;
  readonly y: number;
}

/**
 * Horizontal room a text at `self` has before the next placed thing on roughly the same
 * line (within `lineTolerance`), or before the screen edge. Values with little room get
 * compact quality markers so they do not run into their neighbours.
 */
export function roomToTheRight(
  self: Placed,
  others: readonly Placed[],
  screenWidth: number,
  lineTolerance = 14,
): number {
  let room = screenWidth - self.x;
  for (const o of others) {
    if (o === self || o.x <= self.x || Math.abs(o.y - self.y) > lineTolerance) continue;
    room = Math.min(room, o.x - self.x);
  }
  return room;
}

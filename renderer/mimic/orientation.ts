/**
 * Which way a pump, fan or valve points. On its pipe it points the way the pipe flows; off
 * any pipe, its `rotation`; without one, the way the same equipment (same first tag) points on
 * another screen where it sits on a pipe — so a pump points the same way on every screen.
 * Pure: no DOM.
 */
import type { MimicElementDto, ScreenDto } from '../../preload/contract.js';
import { flowAngleAt, type Point } from './geometry.js';

type Oriented = Extract<MimicElementDto, { kind: 'pump' | 'fan' | 'motor' | 'valve' | 'on-off-valve' }>;

/** The tag that names an oriented symbol's equipment across screens. */
export function orientationKey(e: Oriented): string {
  return e.kind === 'valve' ? e.positionTag : e.kind === 'on-off-valve' ? e.openTag : e.runTag;
}

const isOriented = (e: MimicElementDto): e is Oriented =>
  e.kind === 'pump' || e.kind === 'fan' || e.kind === 'motor' || e.kind === 'valve' || e.kind === 'on-off-valve';

/** Equipment key → the angle of the pipe it sits on, from every screen (the first screen that has one wins). */
export function equipmentAngles(screens: readonly Pick<ScreenDto, 'elements'>[]): ReadonlyMap<string, number> {
  const angles = new Map<string, number>();
  for (const s of screens) {
    const pipes = s.elements.flatMap((e) => (e.kind === 'pipe' ? [e.points as readonly Point[]] : []));
    if (pipes.length === 0) continue;
    for (const e of s.elements) {
      if (!isOriented(e)) continue;
      const key = orientationKey(e);
      if (angles.has(key)) continue;
      const a = flowAngleAt(pipes, [e.x, e.y]);
      if (a !== null) angles.set(key, a);
    }
  }
  return angles;
}

export function symbolAngle(
  e: Oriented,
  pipes: readonly (readonly Point[])[],
  angles: ReadonlyMap<string, number>,
): number {
  return flowAngleAt(pipes, [e.x, e.y]) ?? e.rotation ?? angles.get(orientationKey(e)) ?? 0;
}

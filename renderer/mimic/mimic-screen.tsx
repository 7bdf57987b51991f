/**
 * Draws one project screen as SVG in the screen's own coordinate system, scaled to fit.
 * Layers: pipes under equipment under labels under live values, whatever the file order.
 */
import { useMemo } from 'react';
import type { MimicElementDto, ScreenDto } from '../../preload/contract.js';
import { flowAngleAt, roomToTheRight, type Placed, type Point } from './geometry.js';

/** Room a value needs for its label, number, unit and a full STALE marker (screen units). */
const ROOM_FOR_FULL_MARKERS = 170;
import {
  HeatExchangerSymbol,
  LabelSymbol,
  MeterSymbol,
  PipeSymbol,
  PumpSymbol,
  TankSymbol,
  ValueSymbol,
  ValveSymbol,
} from './symbols.js';

const layerOf: Record<MimicElementDto['kind'], number> = {
  pipe: 0,
  'heat-exchanger': 1,
  tank: 1,
  pump: 1,
  valve: 1,
  label: 2,
  meter: 3,
  value: 3,
};

export function MimicScreen({ screen }: { screen: ScreenDto }) {
  const pipes = useMemo(
    () => screen.elements.flatMap((e) => (e.kind === 'pipe' ? [e.points as readonly Point[]] : [])),
    [screen],
  );
  const placed = useMemo(() => screen.elements.filter((e): e is Extract<MimicElementDto, Placed> => 'x' in e && 'y' in e), [screen]);
  const ordered = useMemo(
    () => screen.elements.map((e, i) => ({ e, i })).sort((a, b) => layerOf[a.e.kind] - layerOf[b.e.kind] || a.i - b.i),
    [screen],
  );
  return (
    <div className="mimic" data-screen={screen.id}>
      <svg
        className="mimic-svg"
        viewBox={`0 0 ${screen.width} ${screen.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label={screen.title}
      >
        <rect x={0} y={0} width={screen.width} height={screen.height} className="mimic-bg" />
        {ordered.map(({ e, i }) => {
          const angle = 'x' in e && 'y' in e ? (flowAngleAt(pipes, [e.x, e.y]) ?? 0) : 0;
          switch (e.kind) {
            case 'pipe':
              return <PipeSymbol key={i} element={e} />;
            case 'label':
              return <LabelSymbol key={i} element={e} />;
            case 'value':
              return <ValueSymbol key={i} element={e} compact={roomToTheRight(e, placed, screen.width) < ROOM_FOR_FULL_MARKERS} />;
            case 'pump':
              return <PumpSymbol key={i} element={e} angle={angle} />;
            case 'valve':
              return <ValveSymbol key={i} element={e} angle={angle} />;
            case 'heat-exchanger':
              return <HeatExchangerSymbol key={i} element={e} />;
            case 'tank':
              return <TankSymbol key={i} element={e} screenWidth={screen.width} />;
            case 'meter':
              return <MeterSymbol key={i} element={e} screenWidth={screen.width} />;
            default:
              return null;
          }
        })}
      </svg>
    </div>
  );
}

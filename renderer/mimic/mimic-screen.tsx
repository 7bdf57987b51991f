/**
 * Draws one project screen as SVG in the screen's own coordinate system, scaled to fit.
 * Layers: pipes under equipment under labels under live values, whatever the file order.
 */
import { useMemo } from 'react';
import type { MimicElementDto, ScreenDto } from '../../preload/contract.js';
import { flowAngleAt, type Point } from './geometry.js';
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
              return <ValueSymbol key={i} element={e} />;
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

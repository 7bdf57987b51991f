/**
 * Draws one project screen as SVG in the screen's own coordinate system, scaled to fit: an
 * imported drawing (if any) first, then the symbols in layers — pipes under equipment under
 * labels under live values, whatever the file order.
 */
import { memo, useMemo } from 'react';
import type { MimicElementDto, ScreenDto } from '../../preload/contract.js';
import { useLang } from '../i18n/language.js';
import { localizeElement, type LocalMimicElement } from './element-text.js';
import { useStationSnapshot } from '../app/station-context.js';
import { screenTitle } from '../app/hierarchy.js';
import { roomToTheRight, type Placed, type Point } from './geometry.js';
import { MimicLimitsProvider } from './mimic-limits.js';
import { SvgDrawing } from './svg-drawing.js';
import { PipeSymbol } from './symbols/pipe.js';
import { RotatingSymbol } from './symbols/rotating.js';
import { OnOffValveSymbol, ValveSymbol } from './symbols/valves.js';
import { HeatExchangerSymbol, MeterSymbol, TankSymbol } from './symbols/vessels.js';
import { ControllerSymbol } from './symbols/controller.js';
import {
  AnalogBarSymbol,
  LabelSymbol,
  LampSymbol,
  NavButtonSymbol,
  ReadoutSymbol,
  SparklineSymbol,
  TransmitterSymbol,
  ValueSymbol,
} from './symbols/instruments.js';
import { equipmentAngles, symbolAngle } from './orientation.js';
import './mimic.css';

/** Room a value needs for its label, number, unit and a full BAD | COMM or STALE marker at 15 units (screen units). */
const ROOM_FOR_FULL_MARKERS = 230;

const layerOf: Record<MimicElementDto['kind'], number> = {
  pipe: 0,
  'heat-exchanger': 1,
  tank: 1,
  pump: 1,
  fan: 1,
  motor: 1,
  valve: 1,
  'on-off-valve': 1,
  transmitter: 2,
  'analog-bar': 2,
  sparkline: 2,
  lamp: 2,
  'nav-button': 2,
  controller: 2,
  label: 2,
  meter: 3,
  value: 3,
  readout: 3,
};

export const MimicScreen = memo(function MimicScreen({ screen }: { screen: ScreenDto }) {
  const { screens } = useStationSnapshot();
  const lang = useLang();
  // Labels given in both languages are drawn in the operator's.
  const elements = useMemo(() => screen.elements.map((e) => localizeElement(e, lang)), [screen, lang]);
  const pipes = useMemo(
    () => elements.flatMap((e) => (e.kind === 'pipe' ? [e.points as readonly Point[]] : [])),
    [elements],
  );
  // A pump drawn on a screen without its pipe points the way it does where its pipe is drawn.
  const angles = useMemo(() => equipmentAngles(screens), [screens]);
  const titles = useMemo(() => new Map(screens.map((s) => [s.id, screenTitle(s, lang)])), [screens, lang]);
  const placed = useMemo(
    () => elements.filter((e): e is Extract<LocalMimicElement, Placed> => 'x' in e && 'y' in e),
    [elements],
  );
  const ordered = useMemo(
    () => elements.map((e, i) => ({ e, i })).sort((a, b) => layerOf[a.e.kind] - layerOf[b.e.kind] || a.i - b.i),
    [elements],
  );
  const viewBox = screen.svg ? screen.svg.viewBox.join(' ') : `0 0 ${screen.width} ${screen.height}`;
  return (
    <MimicLimitsProvider>
      <div className="mimic" data-screen={screen.id} data-screen-kind={screen.svg ? 'svg' : 'symbols'}>
        <svg
          className="mimic-svg"
          viewBox={viewBox}
          preserveAspectRatio="xMidYMid meet"
          role="group"
          aria-label={screenTitle(screen, lang)}
        >
          <rect
            x={screen.svg?.viewBox[0] ?? 0}
            y={screen.svg?.viewBox[1] ?? 0}
            width={screen.width}
            height={screen.height}
            className="mimic-bg"
          />
          {screen.svg ? <SvgDrawing screenId={screen.id} drawing={screen.svg} /> : null}
          {ordered.map(({ e, i }) => {
            switch (e.kind) {
              case 'pipe':
                return <PipeSymbol key={i} element={e} />;
              case 'label':
                return <LabelSymbol key={i} element={e} />;
              case 'value':
                return (
                  <ValueSymbol
                    key={i}
                    element={e}
                    compact={roomToTheRight(e, placed, screen.width) < ROOM_FOR_FULL_MARKERS}
                  />
                );
              case 'pump':
              case 'fan':
              case 'motor':
                return <RotatingSymbol key={i} element={e} angle={symbolAngle(e, pipes, angles)} />;
              case 'valve':
                return <ValveSymbol key={i} element={e} angle={symbolAngle(e, pipes, angles)} />;
              case 'on-off-valve':
                return <OnOffValveSymbol key={i} element={e} angle={symbolAngle(e, pipes, angles)} />;
              case 'heat-exchanger':
                return <HeatExchangerSymbol key={i} element={e} />;
              case 'tank':
                return <TankSymbol key={i} element={e} screenWidth={screen.width} />;
              case 'meter':
                return <MeterSymbol key={i} element={e} screenWidth={screen.width} />;
              case 'transmitter':
                return <TransmitterSymbol key={i} element={e} />;
              case 'analog-bar':
                return <AnalogBarSymbol key={i} element={e} />;
              case 'readout':
                return <ReadoutSymbol key={i} element={e} />;
              case 'lamp':
                return <LampSymbol key={i} element={e} />;
              case 'sparkline':
                return <SparklineSymbol key={i} element={e} />;
              case 'controller':
                return <ControllerSymbol key={i} element={e} />;
              case 'nav-button':
                return <NavButtonSymbol key={i} element={e} title={titles.get(e.screen)} />;
              default:
                return null;
            }
          })}
        </svg>
      </div>
    </MimicLimitsProvider>
  );
});

/**
 * The heating curve as a small chart: supply setpoint over outdoor temperature, the current
 * outdoor temperature and setpoint marked on it, and — while the operator enters a change —
 * the curve that will result, dashed, with its own marker. Geometry in heating-curve.ts.
 */
import { useText } from '../i18n/language.js';
import { faceplateText } from './faceplates-text.js';
import { curveGeometry, type CurvePoints } from './heating-curve.js';

const W = 380;
const H = 180;

export function CurveChart({
  curve,
  outdoorC,
  proposed,
}: {
  curve: CurvePoints;
  outdoorC: number | null;
  proposed?: CurvePoints | null;
}) {
  const t = useText(faceplateText);
  const g = curveGeometry(curve, outdoorC, W, H, proposed ? { alsoFit: [proposed] } : {});
  const proposedPoints = proposed ? g.pointsOf(proposed) : null;
  const proposedMarker = proposed ? g.markerOf(proposed) : null;
  const line = (pts: readonly (readonly [number, number])[]) =>
    pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return (
    <svg
      className="fp-curve"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={t('curveAria')}
      data-testid="fp-curve"
    >
      {g.yTicks.map((tk) => (
        <g key={`y${tk.v}`}>
          <line x1={34} x2={W - 8} y1={tk.y} y2={tk.y} className="fp-grid" />
          <text x={30} y={tk.y + 4} textAnchor="end" className="fp-axis">
            {tk.v}
          </text>
        </g>
      ))}
      {g.xTicks.map((tk) => (
        <g key={`x${tk.v}`}>
          <line x1={tk.x} x2={tk.x} y1={8} y2={H - 20} className="fp-grid" />
          <text x={tk.x} y={H - 6} textAnchor="middle" className="fp-axis">
            {tk.v}
          </text>
        </g>
      ))}
      <text x={W - 8} y={H - 22} textAnchor="end" className="fp-axis fp-axis-name">
        {t('curveOutdoor')}
      </text>
      <text x={38} y={18} className="fp-axis fp-axis-name">
        {t('curveSupply')}
      </text>
      <polyline points={line(g.points)} className="fp-curve-line" />
      {proposedPoints ? (
        <polyline
          points={line(proposedPoints)}
          className="fp-curve-line fp-curve-proposed"
          data-testid="fp-curve-proposed"
        />
      ) : null}
      {g.marker ? (
        <g className="fp-curve-marker" data-testid="fp-curve-marker">
          <line x1={g.marker[0]} x2={g.marker[0]} y1={8} y2={H - 20} className="fp-curve-now" />
          <circle cx={g.marker[0]} cy={g.marker[1]} r={5} />
        </g>
      ) : null}
      {proposedMarker ? (
        <rect
          x={proposedMarker[0] - 5}
          y={proposedMarker[1] - 5}
          width={10}
          height={10}
          className="fp-curve-marker-next"
        />
      ) : null}
    </svg>
  );
}

/**
 * A pipe drawn in the direction of flow, with arrows along it. With a `flowTag` the pipe
 * knows whether it flows: flowing, a dashed stream moves along it (not with
 * prefers-reduced-motion: the arrows then stay solid, the stream still); not flowing, the arrows are
 * hollow; unknown, the stream is not drawn and the pipe says so in its title.
 */
import { memo } from 'react';
import { useCheckedValue } from '../../values/use-checked-value.js';
import { useText } from '../../i18n/language.js';
import { mimicText } from '../mimic-text.js';
import { isFlowing } from '../equipment-state.js';
import { flowArrows, type Point } from '../geometry.js';
import { useActivate } from '../mimic-actions.js';
import type { Of } from './common.js';

export const PipeSymbol = memo(function PipeSymbol({ element }: { element: Of<'pipe'> }) {
  const t = useText(mimicText);
  const flow = useCheckedValue(element.flowTag);
  const flowing = element.flowTag ? isFlowing(flow, flow.info) : null;
  const state = !element.flowTag ? 'static' : flowing === null ? 'unknown' : flowing ? 'flowing' : 'still';
  const points = element.points as readonly Point[];
  const d = points.map((p) => `${p[0]},${p[1]}`).join(' ');
  const activate = useActivate(element.flowTag ? { kind: 'trend', tags: [element.flowTag] } : null);
  return (
    <g
      className={`pipe pipe-${element.medium} pipe-${state}`}
      data-symbol="pipe"
      data-state={state}
      data-flow-tag={element.flowTag}
      {...activate}
    >
      {element.flowTag ? (
        <title>{`${state === 'flowing' ? t('flowing') : state === 'still' ? t('noFlow') : '?'}\n${t('activateTrend')}\n\n${flow.view.tooltip}`}</title>
      ) : null}
      <polyline points={d} className="pipe-line" />
      {state === 'flowing' ? <polyline points={d} className="pipe-stream" /> : null}
      {flowArrows(points).map((a, i) => (
        <path
          key={i}
          d="M-6,-6 L4,0 L-6,6 Z"
          className="pipe-arrow"
          transform={`translate(${a.x},${a.y}) rotate(${a.angle})`}
        />
      ))}
    </g>
  );
});

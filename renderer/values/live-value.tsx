/**
 * One live value: the element every test and operator relies on. It carries
 * `data-tag` and `data-quality` (Good | Uncertain | Bad | Stale) and its text is the
 * formatted value and unit; the quality marker and label sit beside it.
 */
import { memo } from 'react';
import { useConnected, useNow, useTagInfo, useTagValue } from '../app/station-context.js';
import { valueView } from '../format/value-view.js';
import { QualityMarker } from './quality-marker.js';

export interface LiveValueProps {
  readonly tag: string;
  readonly label?: string;
  readonly className?: string;
  /** Short quality markers, for dense mimics. */
  readonly compact?: boolean;
}

export const LiveValue = memo(function LiveValue({ tag, label, className, compact }: LiveValueProps) {
  const value = useTagValue(tag);
  const info = useTagInfo(tag);
  const now = useNow();
  const connected = useConnected();
  const view = valueView(tag, value, info, now, connected);
  return (
    <span className={`live ${view.presentation.className}${className ? ` ${className}` : ''}`} title={view.tooltip}>
      {label ? <span className="live-label">{label}</span> : null}
      <span className="live-value" data-tag={tag} data-quality={view.quality} title={view.tooltip}>
        {view.text}
      </span>
      <QualityMarker quality={view.quality} compact={compact} />
    </span>
  );
});

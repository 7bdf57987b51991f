/**
 * One live value: the element every test and operator relies on. It carries
 * `data-tag` and `data-quality` (Good | Uncertain | Bad | Stale) and its text is the
 * formatted value and unit; the quality marker and label sit beside it.
 */
import { memo, type KeyboardEvent } from 'react';
import { useConnected, useNow, useTagInfo, useTagValue } from '../app/station-context.js';
import { valueView } from '../format/value-view.js';
import { QualityMarker } from './quality-marker.js';
import { useWriteOpener } from '../faceplates/faceplate-access.js';

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
  // Writable values open the faceplate (click, Enter or Space) for users allowed to write.
  const openFaceplate = useWriteOpener(tag, info);
  const writeProps = openFaceplate
    ? {
        role: 'button',
        tabIndex: 0,
        'aria-haspopup': 'dialog' as const,
        'data-writable': 'true',
        onClick: openFaceplate,
        onKeyDown: (e: KeyboardEvent) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          e.stopPropagation();
          openFaceplate();
        },
      }
    : {};
  return (
    <span className={`live ${view.presentation.className}${className ? ` ${className}` : ''}`} title={view.tooltip}>
      {label ? <span className="live-label">{label}</span> : null}
      <span className={openFaceplate ? 'live-value writable' : 'live-value'} data-tag={tag} data-quality={view.quality} title={openFaceplate ? `${view.tooltip}\n\nEnter or click: change the value` : view.tooltip} {...writeProps}>
        {view.text}
      </span>
      <QualityMarker quality={view.quality} compact={compact} />
    </span>
  );
});

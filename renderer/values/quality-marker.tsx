/** The text marker beside a value that is not Good: colour is never the only cue. */
import type { DisplayQuality } from '../format/quality.js';

function ClockGlyph() {
  return (
    <svg className="qmark-clock" viewBox="0 0 10 10" width="0.9em" height="0.9em" aria-hidden="true">
      <circle cx="5" cy="5" r="4.2" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <path d="M5 2.4V5h2.2" fill="none" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}

/**
 * `compact` is for dense mimics where values sit a few characters apart: Stale shows the
 * clock alone (the value is also dimmed and italic, and the tooltip says STALE).
 */
export function QualityMarker({ quality, title, compact = false }: { quality: DisplayQuality; title?: string; compact?: boolean }) {
  switch (quality) {
    case 'Good':
      return null;
    case 'Uncertain':
      return (
        <span className="qmark qmark-uncertain" title={title} aria-label="uncertain">
          ?
        </span>
      );
    case 'Bad':
      return (
        <span className={compact ? 'qmark qmark-bad qmark-compact' : 'qmark qmark-bad'} title={title}>
          BAD
        </span>
      );
    case 'Stale':
      return (
        <span className={compact ? 'qmark qmark-stale qmark-compact' : 'qmark qmark-stale'} title={title} aria-label="stale">
          <ClockGlyph />
          {compact ? null : 'STALE'}
        </span>
      );
  }
}

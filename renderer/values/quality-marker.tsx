/**
 * The text markers beside a value: its quality when not Good (colour is never the only
 * cue), and its zone when it is outside its normal band.
 */
import type { DisplayQuality, ReasonCode } from '../format/quality.js';
import type { ZoneView } from '../format/analog-scale.js';
import { useText } from '../i18n/language.js';
import { formatText } from '../format/format-text.js';
import { valuesText } from './values-text.js';

function ClockGlyph() {
  return (
    <svg className="qmark-clock" viewBox="0 0 10 10" width="0.9em" height="0.9em" aria-hidden="true">
      <circle cx="5" cy="5" r="4.2" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <path d="M5 2.4V5h2.2" fill="none" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}

/** A crossed box: Bad where there is no room for the word (the value is also struck through). */
function CrossGlyph() {
  return (
    <svg className="qmark-cross" viewBox="0 0 10 10" width="0.9em" height="0.9em" aria-hidden="true">
      <path d="M2 2L8 8M8 2L2 8" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

const reasonKey = { COMM: 'codeComm', DEV: 'codeDevice', VAL: 'codeValue' } as const;

/**
 * `compact` is for dense mimics where values sit a few characters apart: Bad shows a crossed
 * box and Stale the clock alone (the value is also struck through or dimmed, and focus or
 * the tooltip says why). Otherwise Bad says BAD and, when known, why in one word (COMM).
 */
export function QualityMarker({
  quality,
  title,
  compact = false,
  reason = null,
}: {
  quality: DisplayQuality;
  title?: string;
  compact?: boolean;
  reason?: ReasonCode | null;
}) {
  const t = useText(valuesText);
  const f = useText(formatText);
  switch (quality) {
    case 'Good':
      return null;
    case 'Uncertain':
      return (
        <span
          className={compact ? 'qmark qmark-uncertain qmark-compact' : 'qmark qmark-uncertain'}
          title={title}
          aria-label={t('uncertain')}
        >
          ?
        </span>
      );
    case 'Bad':
      return compact ? (
        <span
          className="qmark qmark-bad qmark-compact"
          title={title}
          aria-label={t('bad')}
          data-reason={reason ?? undefined}
        >
          <CrossGlyph />
        </span>
      ) : (
        <span className="qmark qmark-bad" title={title} data-reason={reason ?? undefined}>
          {t('bad')}
          {reason ? <span className="qmark-reason">{f(reasonKey[reason])}</span> : null}
        </span>
      );
    case 'Stale':
      return (
        <span
          className={compact ? 'qmark qmark-stale qmark-compact' : 'qmark qmark-stale'}
          title={title}
          aria-label={t('stale')}
        >
          <ClockGlyph />
          {compact ? null : t('stale')}
        </span>
      );
  }
}

/** ▲ above / ▼ below the normal band, with the code (LOW, HIGH, LO, HH …) unless compact. */
export function ZoneMarker({
  zone,
  compact = false,
  title,
}: {
  zone: ZoneView;
  compact?: boolean | undefined;
  title?: string;
}) {
  const up = zone.zone === 'high' || zone.zone === 'hi' || zone.zone === 'hh';
  const limit = zone.zone !== 'low' && zone.zone !== 'high';
  return (
    <span
      className={`zmark${limit ? ' zmark-limit' : ''}${compact ? ' zmark-compact' : ''}`}
      title={title}
      aria-label={title}
      data-zone-marker={zone.zone}
    >
      <span aria-hidden="true">{up ? '▲' : '▼'}</span>
      {compact ? null : zone.code}
    </span>
  );
}

/**
 * How a value's quality is shown. A value the UI cannot vouch for never looks Good:
 * a Good or Uncertain value that is not fresh (per `isStale`), or anything seen while the
 * station is unreachable, is Stale. A Bad value stays Bad however old it is: a device that
 * went silent sends its Bad samples once, and a communication loss must look in its tenth
 * minute as it did in its first second. Pure: no DOM.
 */
import { isStale, type TagValueDto } from '../../preload/contract.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { formatAge, formatDateTime } from './format-value.js';
import { formatText } from './format-text.js';

export type DisplayQuality = 'Good' | 'Uncertain' | 'Bad' | 'Stale';

export interface QualityInputs {
  readonly value: TagValueDto | undefined;
  readonly nowMs: number;
  readonly intervalMs: number;
  /** False while the transport to the station is down. */
  readonly connected: boolean;
}

export function displayQuality({ value, nowMs, intervalMs, connected }: QualityInputs): DisplayQuality {
  if (!value || !connected) return 'Stale';
  if (value.q === 'Bad') return 'Bad';
  if (isStale(value, nowMs, intervalMs)) return 'Stale';
  return value.q;
}

export interface QualityPresentation {
  /** The text marker beside the value ('' for Good): colour is never the only cue. */
  readonly marker: '' | '?' | 'BAD' | 'STALE';
  /** CSS class carrying the look (strike-through, dimming). */
  readonly className: string;
  /** Whether the last value is shown struck through. */
  readonly struck: boolean;
}

const presentations: Record<DisplayQuality, QualityPresentation> = {
  Good: { marker: '', className: 'q-good', struck: false },
  Uncertain: { marker: '?', className: 'q-uncertain', struck: false },
  Bad: { marker: 'BAD', className: 'q-bad', struck: true },
  Stale: { marker: 'STALE', className: 'q-stale', struck: false },
};

export function qualityPresentation(q: DisplayQuality): QualityPresentation {
  return presentations[q];
}

/** A short code for why a value is Bad, shown beside the BAD marker: COMM (link lost), DEV (the device refused), VAL (no usable number). */
export type ReasonCode = 'COMM' | 'DEV' | 'VAL';

export function reasonCode(reason: string | undefined): ReasonCode | null {
  if (!reason) return null;
  if (
    /communication|connect|timed? ?out|unreachable|ECONN|EHOSTUNREACH|socket|closed|lost|offline|session/i.test(reason)
  )
    return 'COMM';
  if (/exception|illegal|refused|Bad[A-Z]\w+|short answer|device/i.test(reason)) return 'DEV';
  if (/non-finite|\bNaN\b|range|decode|type/i.test(reason)) return 'VAL';
  return null;
}

const leadKey = { COMM: 'reasonComm', DEV: 'reasonDevice', VAL: 'reasonValue' } as const;

/**
 * A reason as the station or a driver gave it (`connection closed by peer`), for the operator:
 * what kind of trouble it is in the operator's language, then the words as they were sent
 * (a driver's own text is not translated): `通讯故障（connection closed by peer）`.
 */
export function reasonText(reason: string, lang: Lang = 'en'): string {
  const t = translator(formatText, lang);
  const code = reasonCode(reason);
  return t('reasonLine', { lead: t(code ? leadKey[code] : 'reasonStation'), reason });
}

const qualityWord = { Good: 'qGood', Uncertain: 'qUncertain', Bad: 'qBad', Stale: 'qStale' } as const;

/** The explanation of a value's quality: why it is not Good, and how old it is (tooltip and the focus popover). */
export function qualityTooltip(inputs: QualityInputs, tag: string, lang: Lang = 'en'): string {
  const t = translator(formatText, lang);
  const { value, nowMs, connected } = inputs;
  const q = displayQuality(inputs);
  const lines = [tag];
  if (!value) {
    lines.push(connected ? t('noValue') : t('noValueLinkLost'));
    return lines.join('\n');
  }
  if (q === 'Stale') {
    lines.push(connected ? t('staleFor', { age: formatAge(nowMs - value.rt, lang) }) : t('staleLinkLost'));
    if (value.q !== 'Good') {
      const quality = t(qualityWord[value.q]);
      lines.push(
        t('lastQuality', {
          quality: value.r ? t('qualityWithReason', { quality, reason: reasonText(value.r, lang) }) : quality,
        }),
      );
    }
  } else if (q === 'Bad') {
    lines.push(t('bad', { reason: value.r ? reasonText(value.r, lang) : t('noReason') }));
  } else if (q === 'Uncertain') {
    lines.push(t('uncertain', { reason: value.r ? reasonText(value.r, lang) : t('noReason') }));
  } else {
    lines.push(t('good'));
  }
  lines.push(t('sourceTime', { time: formatDateTime(value.ts), age: formatAge(nowMs - value.ts, lang) }));
  return lines.join('\n');
}

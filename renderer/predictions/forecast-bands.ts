/**
 * Forecast outputs grouped the way an operator reads them: a median with its lower and
 * upper band edges at the same horizon (`HM_POWER_60M_P10` / `_P50` / `_P90`), and the
 * horizons of one quantity in a family (heat power in 15, 30 and 60 min). A trend pen on
 * a median output gets its band from `bandForTag`. Pure.
 */
import type { ModelInfoDto } from '../../preload/contract.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { outlookText } from './registry-text.js';

export type OutputInfo = ModelInfoDto['outputs'][number];

export interface ForecastBand {
  readonly median: OutputInfo;
  readonly lower: OutputInfo | null;
  readonly upper: OutputInfo | null;
  readonly horizonMin: number;
}

export interface ForecastFamily {
  /** `HM_POWER`, `T_SEC_SUP`, `LOAD`. */
  readonly key: string;
  readonly title: { readonly en: string; readonly zh?: string };
  readonly unit: string;
  /** By horizon, nearest first. */
  readonly bands: readonly ForecastBand[];
}

const isMedian = (o: OutputInfo): boolean => o.quantile !== null && Math.abs(o.quantile - 0.5) < 1e-9;

/** `HM_POWER_60M_P50` → `HM_POWER_60M`: the output without its quantile suffix. */
export function seriesKey(name: string): string {
  return name.replace(/_P\d{1,2}$/, '');
}

/** `HM_POWER_60M` → `HM_POWER`, `LOAD_H07` → `LOAD`: the quantity without its horizon. */
export function familyKey(name: string): string {
  return seriesKey(name)
    .replace(/_\d+M(?:IN)?$/, '')
    .replace(/_H\d+$/, '');
}

/**
 * The band edges of a median output: outputs of the same model with the same horizon and
 * unit, the same series (name without quantile suffix), the lowest quantile below 0.5 and
 * the highest above. Either edge is null when the model has none.
 */
export function bandOf(median: OutputInfo, outputs: readonly OutputInfo[]): ForecastBand | null {
  if (!isMedian(median) || median.horizonMin === null) return null;
  const key = seriesKey(median.name);
  const peers = outputs.filter(
    (o) =>
      o !== median &&
      o.quantile !== null &&
      o.horizonMin === median.horizonMin &&
      o.unit === median.unit &&
      seriesKey(o.name) === key,
  );
  let lower: OutputInfo | null = null;
  let upper: OutputInfo | null = null;
  for (const o of peers) {
    const q = o.quantile!;
    if (q < 0.5 && (lower === null || q < lower.quantile!)) lower = o;
    if (q > 0.5 && (upper === null || q > upper.quantile!)) upper = o;
  }
  return { median, lower, upper, horizonMin: median.horizonMin };
}

/** The band to draw around a trend pen: only for a median output whose model has both edges. */
export function bandForTag(
  tag: string,
  models: readonly Pick<ModelInfoDto, 'outputs'>[],
): { lower: string; upper: string; lowerQ: number; upperQ: number; horizonMin: number } | null {
  for (const m of models) {
    const median = m.outputs.find((o) => o.tag === tag);
    if (!median) continue;
    const band = bandOf(median, m.outputs);
    if (!band?.lower || !band.upper) return null;
    return {
      lower: band.lower.tag,
      upper: band.upper.tag,
      lowerQ: band.lower.quantile!,
      upperQ: band.upper.quantile!,
      horizonMin: band.horizonMin,
    };
  }
  return null;
}

function familyTitle(median: OutputInfo, key: string): ForecastFamily['title'] {
  const en = median.description.en
    .replace(/,?\s*median$/i, '')
    .replace(/\s+in \d+ min$/i, '')
    .replace(/\s+in hour \d+ from now$/i, '')
    .trim();
  const zh = median.description.zh
    ?.replace(/[,,]\s*中位数$/, '')
    .replace(/^\d+分钟后/, '')
    .replace(/^未来第\d+小时/, '')
    .trim();
  return zh ? { en: en || key, zh } : { en: en || key };
}

/** A forecast model's medians grouped by quantity, each with its band edges, nearest horizon first. */
export function forecastFamilies(outputs: readonly OutputInfo[]): ForecastFamily[] {
  const families = new Map<string, { title: ForecastFamily['title']; unit: string; bands: ForecastBand[] }>();
  for (const o of outputs) {
    const band = bandOf(o, outputs);
    if (!band) continue;
    const key = familyKey(o.name);
    let f = families.get(key);
    if (!f) families.set(key, (f = { title: familyTitle(o, key), unit: o.unit, bands: [] }));
    f.bands.push(band);
  }
  return [...families.entries()].map(([key, f]) => ({
    key,
    title: f.title,
    unit: f.unit,
    bands: f.bands.sort((a, b) => a.horizonMin - b.horizonMin),
  }));
}

/** `15 min`, `1 h`, `24 h`. */
export function formatHorizon(min: number, lang: Lang = 'en'): string {
  const t = translator(outlookText, lang);
  return min >= 60 && min % 60 === 0 ? t('horizonH', { n: min / 60 }) : t('horizonMin', { n: min });
}

/** `P10–P90`: the band's quantiles as an operator reads them. */
export function bandName(lowerQ: number, upperQ: number): string {
  return `P${Math.round(lowerQ * 100)}–P${Math.round(upperQ * 100)}`;
}

/**
 * The signals behind a fault class in the plant outlook: up to three input tags, by how
 * much the class probability falls without each one's deviation (occlusion, computed by
 * the station while the class is at its watch level), each with its description and
 * whether it ran high or low (an arrow and the word: never colour alone).
 */
import type { ContributionsDto } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { formatClock, pickText } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { predictionsText } from './predictions-text.js';
import './contributing-signals.css';

export function SignalsHeader() {
  const t = useText(predictionsText);
  return <th scope="col">{t('signalsHeader')}</th>;
}

export function ContributingSignals({
  contributions,
  output,
}: {
  contributions: ContributionsDto | null;
  output: string;
}) {
  const station = useStation();
  const lang = useLang();
  const t = useText(predictionsText);
  const entry = contributions?.classes.find((c) => c.output === output);
  if (!contributions || !entry || entry.signals.length === 0) {
    return (
      <td className="pred-signals" data-testid="outlook-signals" data-count={0}>
        <span className="muted" title={t('signalsNone')}>
          —
        </span>
      </td>
    );
  }
  const tags = station.getSnapshot().tagsByName;
  return (
    <td className="pred-signals" data-testid="outlook-signals" data-count={entry.signals.length}>
      <ol className="pred-signal-list">
        {entry.signals.map((s) => {
          const info = tags.get(s.tag);
          const described = info ? pickText(info.description, lang) : '';
          return (
            <li
              key={s.tag}
              className="pred-signal"
              data-testid="outlook-signal"
              data-tag={s.tag}
              data-direction={s.direction}
              title={`${s.tag}: ${t('signalsDrop', { drop: Math.round(s.drop * 100) })}`}
            >
              <span className="pred-signal-arrow" aria-hidden="true">
                {s.direction === 'high' ? '▲' : '▼'}
              </span>{' '}
              <span className="pred-signal-name">{described || s.tag}</span>{' '}
              <span className="pred-signal-dir">{s.direction === 'high' ? t('signalHigh') : t('signalLow')}</span>
            </li>
          );
        })}
      </ol>
      <span className="muted pred-signal-time">{t('signalsAsOf', { time: formatClock(contributions.at) })}</span>
    </td>
  );
}

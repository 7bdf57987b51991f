/**
 * The mark of a predictive alarm (raised by a model before the process reaches its
 * limit): a dashed box saying PRED — shape and text, no colour of its own — with the
 * expected time to the limit when the message gives one.
 */
import type { AlarmDto } from '../../preload/contract.js';
import { formatTimeToLimit, isPredictive, timeToLimitMin } from './outlook-model.js';
import './predictions.css';
import { useLang, useText } from '../i18n/language.js';
import { outlookText } from './registry-text.js';

export function PredictiveMarker({ alarm }: { alarm: Pick<AlarmDto, 'source' | 'message'> }) {
  const tr = useText(outlookText);
  const lang = useLang();
  if (!isPredictive(alarm)) return null;
  const ttl = timeToLimitMin(alarm.message);
  return (
    <span
      className="pred-marker"
      data-testid="pred-marker"
      title={tr('predTitle', { ttl: ttl !== null ? ` ${formatTimeToLimit(ttl, lang)}` : '' })}
    >
      <span className="pred-box">{tr('pred')}</span>
      {ttl !== null ? (
        <span className="pred-ttl" data-testid="pred-ttl">
          {formatTimeToLimit(ttl, lang)}
        </span>
      ) : null}
    </span>
  );
}

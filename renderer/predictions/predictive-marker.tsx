/**
 * The mark of a predictive alarm (raised by a model before the process reaches its
 * limit): a dashed box saying PRED — shape and text, no colour of its own — with the
 * expected time to the limit when the message gives one.
 */
import type { AlarmDto } from '../../preload/contract.js';
import { formatTimeToLimit, isPredictive, timeToLimitMin } from './outlook-model.js';
import './predictions.css';

export function PredictiveMarker({ alarm }: { alarm: Pick<AlarmDto, 'source' | 'message'> }) {
  if (!isPredictive(alarm)) return null;
  const ttl = timeToLimitMin(alarm.message);
  return (
    <span className="pred-marker" data-testid="pred-marker" title={`Predictive alarm: a model expects the limit to be reached${ttl !== null ? ` ${formatTimeToLimit(ttl)}` : ''}; the process is not there yet`}>
      <span className="pred-box">PRED</span>
      {ttl !== null ? (
        <span className="pred-ttl" data-testid="pred-ttl">
          {formatTimeToLimit(ttl)}
        </span>
      ) : null}
    </span>
  );
}

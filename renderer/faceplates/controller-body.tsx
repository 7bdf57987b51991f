/**
 * The controller faceplate's own part (the supply-temperature loop): PV, SP, deviation and
 * output; auto/manual and the manual output; the heating curve drawn with the current
 * outdoor temperature and setpoint; its points and offset, each changed through the write
 * flow with the setpoint that WILL result shown before the confirmation, and after the
 * write the live setpoint against the one expected.
 */
import type { TagInfo } from '../../preload/contract.js';
import { useTagInfo, useTagValue } from '../app/station-context.js';
import { formatValue } from '../format/format-value.js';
import { useText } from '../i18n/language.js';
import { LiveValue } from '../values/live-value.js';
import { CurveChart } from './curve-chart.js';
import { CommandButton, ModeControl, ValueRow } from './faceplate-parts.js';
import type { EquipmentFaceplateSpec } from './equipment.js';
import { faceplateText } from './faceplates-text.js';
import { curveFieldOfTag, curveFromValues, previewSetpoint, type CurvePoints } from './heating-curve.js';
import type { WriteValue } from './write-request.js';

type Tags = EquipmentFaceplateSpec['tags'];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The curve from its five live values (null while one is missing). */
function useLiveCurve(tags: Tags): CurvePoints | null {
  const outdoorColdC = useTagValue(tags.curveOut1 ?? '')?.v;
  const supplyColdC = useTagValue(tags.curveSup1 ?? '')?.v;
  const outdoorMildC = useTagValue(tags.curveOut2 ?? '')?.v;
  const supplyMildC = useTagValue(tags.curveSup2 ?? '')?.v;
  const offsetK = useTagValue(tags.offset ?? '')?.v;
  return curveFromValues({ outdoorColdC, supplyColdC, outdoorMildC, supplyMildC, offsetK });
}

const TEMP: Pick<TagInfo, 'kind' | 'unit' | 'states'> & { decimals: number } = {
  kind: 'analog',
  unit: '°C',
  decimals: 1,
};
const KELVIN: Pick<TagInfo, 'kind' | 'unit' | 'states'> & { decimals: number } = {
  kind: 'analog',
  unit: 'K',
  decimals: 1,
};

function signed(v: number): string {
  const text = formatValue(Math.abs(v), KELVIN).text;
  return `${v < 0 ? '−' : '+'}${text}`;
}

/** The setpoint a value of one curve tag will give at the current outdoor temperature. */
export function SetpointPreview({ tags, tag, value }: { tags: Tags; tag: string; value: WriteValue | null }) {
  const t = useText(faceplateText);
  const curve = useLiveCurve(tags);
  const outdoor = num(useTagValue(tags.outdoor ?? '')?.v);
  const spInfo = useTagInfo(tags.sp ?? '');
  const field = curveFieldOfTag(tag);
  if (!field || !curve || outdoor === null || typeof value !== 'number') {
    return (
      <p className="fp-preview fp-preview-unknown" data-testid="faceplate-preview" data-next="">
        {t('resultingSpUnknown')}
      </p>
    );
  }
  const p = previewSetpoint(curve, outdoor, field, value);
  const fmt = (v: number) => formatValue(v, spInfo ?? TEMP).text;
  return (
    <div
      className="fp-preview"
      data-testid="faceplate-preview"
      data-now={p.now.toFixed(2)}
      data-next={p.next.toFixed(2)}
    >
      <p className="fp-preview-text">
        <strong>
          {t('resultingSp', {
            outdoor: formatValue(outdoor, TEMP).text,
            now: fmt(p.now),
            next: fmt(p.next),
            delta: signed(p.delta),
          })}
        </strong>
      </p>
      <CurveChart curve={curve} outdoorC={outdoor} proposed={{ ...curve, [field]: value }} />
    </div>
  );
}

/** After a curve write: the live setpoint against what the curve predicts now. */
export function SetpointFollow({ tags, tag, written }: { tags: Tags; tag: string; written: WriteValue }) {
  const t = useText(faceplateText);
  const curve = useLiveCurve(tags);
  const outdoor = num(useTagValue(tags.outdoor ?? '')?.v);
  const spValue = num(useTagValue(tags.sp ?? '')?.v);
  const spInfo = useTagInfo(tags.sp ?? '');
  const field = curveFieldOfTag(tag);
  if (!field || !curve || outdoor === null || typeof written !== 'number' || !tags.sp) return null;
  const expected = previewSetpoint(curve, outdoor, field, written).next;
  // The plant computes from the true outdoor temperature, the console from the sensor: a few hundredths apart.
  const followed = spValue !== null && Math.abs(spValue - expected) < 0.3;
  return (
    <p
      className="fp-follow"
      data-testid="faceplate-live-sp"
      data-followed={followed ? 'true' : 'false'}
      data-expected={expected.toFixed(2)}
    >
      {t('afterWrite')} <LiveValue tag={tags.sp} />{' '}
      {t('expectedSp', { expected: formatValue(expected, spInfo ?? TEMP).text })}{' '}
      <span className="fp-follow-state">{followed ? t('afterWriteFollowed') : t('afterWriteWaiting')}</span>
    </p>
  );
}

export function ControllerBody({ spec }: { spec: EquipmentFaceplateSpec }) {
  const t = useText(faceplateText);
  const tags = spec.tags;
  const curve = useLiveCurve(tags);
  const outdoor = num(useTagValue(tags.outdoor ?? '')?.v);
  const curveCommand = (tag: string | undefined) =>
    tag
      ? {
          tag,
          preview: (v: WriteValue | null) => <SetpointPreview tags={tags} tag={tag} value={v} />,
          after: (written: WriteValue) => <SetpointFollow tags={tags} tag={tag} written={written} />,
        }
      : null;
  const offset = curveCommand(tags.offset);
  const point = (outTag: string | undefined, supTag: string | undefined, label: string, id: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{outTag ? <LiveValue tag={outTag} compact /> : null}</td>
      <td>
        {outTag ? (
          <CommandButton {...curveCommand(outTag)!} label={t('changePoint')} testId={`fp-cmd-${id}-outdoor`} />
        ) : null}
      </td>
      <td>{supTag ? <LiveValue tag={supTag} compact /> : null}</td>
      <td>
        {supTag ? (
          <CommandButton {...curveCommand(supTag)!} label={t('changePoint')} testId={`fp-cmd-${id}-supply`} />
        ) : null}
      </td>
    </tr>
  );
  return (
    <>
      <section className="fp-loop" aria-label={t('kindController')}>
        <dl className="fp-readouts">
          {(
            [
              ['pv', 'pv'],
              ['sp', 'sp'],
              ['dev', 'dev'],
              ['out', 'out'],
            ] as const
          ).map(([role, label]) =>
            tags[role] ? (
              <div key={role} className={`fp-readout fp-readout-${role}`}>
                <dt>{t(label)}</dt>
                <dd>
                  <LiveValue tag={tags[role]} compact />
                </dd>
              </div>
            ) : null,
          )}
        </dl>
        {tags.auto ? (
          <ModeControl tag={tags.auto}>
            {tags.manOut ? (
              <>
                <span className="fp-label">{t('manualOutput').replace('…', '')}</span>
                <LiveValue tag={tags.manOut} compact />
                <CommandButton tag={tags.manOut} label={t('manualOutput')} testId="fp-cmd-man-out" />
              </>
            ) : null}
          </ModeControl>
        ) : null}
      </section>
      <section className="fp-curve-box" aria-label={t('curve')}>
        <h3 className="fp-heading">{t('curve')}</h3>
        {curve ? <CurveChart curve={curve} outdoorC={outdoor} /> : <p className="muted">{t('resultingSpUnknown')}</p>}
        <table className="fp-curve-points">
          <thead>
            <tr>
              <th scope="col">{t('curvePoints')}</th>
              <th scope="col" colSpan={2}>
                {t('curveOutdoor')}
              </th>
              <th scope="col" colSpan={2}>
                {t('curveSupply')}
              </th>
            </tr>
          </thead>
          <tbody>
            {point(tags.curveOut1, tags.curveSup1, t('coldPoint'), 'cold')}
            {point(tags.curveOut2, tags.curveSup2, t('mildPoint'), 'mild')}
            {tags.offset ? (
              <tr className="fp-offset-row">
                <th scope="row">{t('offset')}</th>
                <td colSpan={2}>
                  <LiveValue tag={tags.offset} compact />
                </td>
                <td colSpan={2}>
                  {offset ? <CommandButton {...offset} label={t('changeOffset')} testId="fp-cmd-offset" /> : null}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      {tags.kp || tags.ti ? (
        <section aria-label={t('tuning')}>
          <h3 className="fp-heading">{t('tuning')}</h3>
          <table className="fp-values">
            <tbody>
              {tags.kp ? <ValueRow tag={tags.kp} /> : null}
              {tags.ti ? <ValueRow tag={tags.ti} /> : null}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

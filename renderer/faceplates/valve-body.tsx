/**
 * The valve faceplate's own part: position against the controller's output (two bars on one
 * scale, so a valve that does not follow is seen), auto/manual and the manual output.
 */
import { useTagInfo, useTagValue } from '../app/station-context.js';
import { useText } from '../i18n/language.js';
import { LiveValue } from '../values/live-value.js';
import type { EquipmentFaceplateSpec } from './equipment.js';
import { CommandButton, ModeControl } from './faceplate-parts.js';
import { faceplateText } from './faceplates-text.js';

function Bar({ tag, label, testId }: { tag: string; label: string; testId: string }) {
  const v = useTagValue(tag)?.v;
  const info = useTagInfo(tag);
  const [lo, hi] = info?.range ?? [0, 100];
  const fraction = typeof v === 'number' && hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : null;
  const trusted = useTagValue(tag)?.q === 'Good';
  return (
    <div className="fp-bar-row">
      <span className="fp-label">{label}</span>
      <span className="fp-bar" data-testid={testId} data-fraction={fraction === null ? '' : fraction.toFixed(3)}>
        {fraction !== null ? (
          <span
            className={trusted ? 'fp-bar-fill' : 'fp-bar-fill fp-bar-untrusted'}
            style={{ width: `${(fraction * 100).toFixed(1)}%` }}
          />
        ) : null}
      </span>
      <LiveValue tag={tag} compact />
    </div>
  );
}

export function ValveBody({ spec }: { spec: EquipmentFaceplateSpec }) {
  const t = useText(faceplateText);
  const tags = spec.tags;
  return (
    <section className="fp-valve" aria-label={t('kindValve')}>
      {tags.pos ? <Bar tag={tags.pos} label={t('position')} testId="fp-valve-pos" /> : null}
      {tags.out ? <Bar tag={tags.out} label={t('output')} testId="fp-valve-out" /> : null}
      {tags.devAlarm ? (
        <div className="fp-bar-row">
          <span className="fp-label">{t('devAlarm')}</span>
          <LiveValue tag={tags.devAlarm} compact />
        </div>
      ) : null}
      {tags.auto ? <ModeControl tag={tags.auto} /> : null}
      {tags.manOut ? (
        <div className="fp-mode">
          <span className="fp-label">{t('manualOutput').replace('…', '')}</span>
          <LiveValue tag={tags.manOut} compact />
          <CommandButton tag={tags.manOut} label={t('manualOutput')} testId="fp-cmd-man-out" />
        </div>
      ) : null}
    </section>
  );
}

/**
 * CSV export of the trend's pens and range, shown only to users with `history.export`.
 * The station writes the file into its data folder's `exports/`; the console shows the
 * progress events and where the file landed (it is not downloaded to this browser).
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { useStation } from '../app/station-context.js';
import { ExportTracker, asExportProgress, baseName, wideIntervalMs, type ExportState } from './export-tracker.js';
import { formatSpan } from './trend-range.js';
import { useText } from '../i18n/language.js';
import { trendText } from './trends-text.js';
import { useRefusal } from '../app/use-refusal.js';

/** Memoized: a live second that did not move the window leaves it as it is. */
export const TrendExport = memo(function TrendExport({
  tags,
  from,
  to,
}: {
  tags: readonly string[];
  from: number;
  to: number;
}) {
  const refuse = useRefusal();
  const station = useStation();
  const tracker = useMemo(() => new ExportTracker(), []);
  const [state, setState] = useState<ExportState>(tracker.state);
  const [layout, setLayout] = useState<'long' | 'wide'>('long');
  const t = useText(trendText);

  useEffect(
    () =>
      station.transport.on('history.exportProgress', (payload) => {
        const event = asExportProgress(payload);
        if (event) setState(tracker.progress(event));
      }),
    [station, tracker],
  );

  const busy = state.phase === 'starting' || state.phase === 'running';
  const start = async () => {
    setState(tracker.begin());
    const reply = await station.transport.request('history.export', {
      tags: [...tags],
      from: Math.round(from),
      to: Math.round(to),
      layout,
      ...(layout === 'wide' ? { intervalMs: wideIntervalMs(to - from) } : {}),
    });
    setState(
      reply.ok ? tracker.accepted(reply.value.exportId, reply.value.file) : tracker.refused(refuse(reply.error)),
    );
  };

  return (
    <section className="trend-export panel" aria-label={t('exportTitle')}>
      <fieldset className="trend-export-layout" disabled={busy}>
        <legend>{t('exportTitle')}</legend>
        <label>
          <input
            type="radio"
            name="trend-export-layout"
            data-testid="trend-export-long"
            checked={layout === 'long'}
            onChange={() => setLayout('long')}
          />{' '}
          {t('exportLong')}
        </label>
        <label>
          <input
            type="radio"
            name="trend-export-layout"
            data-testid="trend-export-wide"
            checked={layout === 'wide'}
            onChange={() => setLayout('wide')}
          />{' '}
          {t('exportWide', { step: formatSpan(wideIntervalMs(to - from)) })}
        </label>
      </fieldset>
      <button
        type="button"
        className="trend-button"
        data-testid="trend-export"
        disabled={busy || tags.length === 0}
        onClick={() => void start()}
      >
        {busy ? t('exporting') : t('exportButton', { n: tags.length })}
      </button>
      <ExportStatus state={state} />
    </section>
  );
});

function ExportStatus({ state }: { state: ExportState }) {
  const t = useText(trendText);
  if (state.phase === 'idle') return <p className="muted trend-export-note">{t('exportNote')}</p>;
  if (state.phase === 'starting')
    return (
      <p className="trend-export-status" data-testid="trend-export-status" data-phase="starting" role="status">
        {t('exportStarting')}
      </p>
    );
  if (state.phase === 'failed') {
    return (
      <p
        className="trend-export-status trend-export-failed"
        data-testid="trend-export-status"
        data-phase="failed"
        role="alert"
      >
        <strong>{t('exportFailed')}</strong> {state.message}
      </p>
    );
  }
  const percent = Math.round(state.fraction * 100);
  return (
    <div className="trend-export-status" data-testid="trend-export-status" data-phase={state.phase} role="status">
      <progress max={100} value={percent} aria-label={t('exportProgressLabel')} />{' '}
      {t('exportRows', { percent, rows: state.rows.toLocaleString('en') })}
      {state.phase === 'done' ? (
        <p>
          {t('exportDone')} <strong data-testid="trend-export-file">{baseName(state.file)}</strong>,{' '}
          {t('exportWrittenAt')} <code className="mono">{state.file}</code>
        </p>
      ) : (
        <p className="muted">{t('exportWriting', { file: baseName(state.file) })}</p>
      )}
    </div>
  );
}

/**
 * The model registry (`#/models`, engineers with `model.manage`): every model with its
 * versions (built in or imported, the card — training data, metrics, date, code revision —
 * or the full error of a refused package), the version running and its run statistics.
 * Activate a version (confirmed; when the package does not load the runtime keeps the old
 * one and says why), rescan the model folders, run a model now, backfill a past range
 * with progress and cancel. The runtime authorizes and audits every change.
 */
import { useEffect, useState } from 'react';
import type { ModelInfoDto } from '../../preload/contract.js';
import { useNow, useStation } from '../app/station-context.js';
import { ModalDialog } from '../auth/modal-dialog.js';
import {
  activationText,
  backfillRange,
  backfillText,
  kindWord,
  metricRows,
  nextBackfillState,
  resultWord,
  statLines,
  type BackfillState,
} from './registry-format.js';
import { useRefusal } from '../app/use-refusal.js';
import { useModels } from './use-models.js';
import { ModelImport } from './model-import-view.js';
import { ModelMonitoring } from './model-monitoring.js';
import './predictions.css';
import { useLang, useText } from '../i18n/language.js';
import { formatDateTime, parseDateTime, pickText } from '../i18n/i18n.js';
import { registryText } from './registry-text.js';

type Notice = { kind: 'ok' | 'refused'; text: string } | null;

function NoticeLine({ notice, testId }: { notice: Notice; testId: string }) {
  if (!notice) return null;
  return (
    <p
      className={`pred-notice pred-notice-${notice.kind}`}
      role="status"
      data-testid={testId}
      data-result={notice.kind}
    >
      {notice.kind === 'refused' ? '✕ ' : '✓ '}
      {notice.text}
    </p>
  );
}

export function ModelRegistryView() {
  const tr = useText(registryText);
  const refuse = useRefusal();
  const station = useStation();
  const list = useModels(5_000);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const rescan = async () => {
    setBusy(true);
    const reply = await station.transport.request('models.rescan', {});
    setBusy(false);
    if (reply.ok) {
      list.replace(reply.value);
      void station.reloadTags();
      setNotice({
        kind: 'ok',
        text: tr('rescanned', {
          models: reply.value.length,
          packages: reply.value.reduce((n, m) => n + m.versions.length, 0),
        }),
      });
    } else setNotice({ kind: 'refused', text: tr('rescanRefused', { message: refuse(reply.error) }) });
  };
  return (
    <section className="panel registry" aria-labelledby="registry-title" data-testid="model-registry">
      <div className="panel-head">
        <h1 id="registry-title" className="panel-title" tabIndex={-1}>
          {tr('title')}
        </h1>
        <span className="muted">{tr('intro')}</span>
        <button
          type="button"
          onClick={() => void rescan()}
          disabled={busy}
          data-testid="model-rescan"
          title={tr('rescanHint')}
        >
          {busy ? tr('rescanning') : tr('rescan')}
        </button>
      </div>
      <NoticeLine notice={notice} testId="model-rescan-result" />
      <div className="model-import-bar">
        <ModelImport onImported={() => void list.reload()} />
      </div>
      {list.error ? (
        <p className="pred-error" role="alert">
          {tr('listFailed', { error: list.error })}
        </p>
      ) : null}
      {list.models === null && !list.error ? <p className="muted">{tr('loadingModels')}</p> : null}
      {list.models !== null && list.models.length === 0 ? <p className="muted">{tr('noPackage')}</p> : null}
      {(list.models ?? []).map((m) => (
        <ModelEntry key={m.name} model={m} onChanged={list.put} reload={list.reload} />
      ))}
    </section>
  );
}

function ModelEntry({
  model,
  onChanged,
  reload,
}: {
  model: ModelInfoDto;
  onChanged: (m: ModelInfoDto) => void;
  reload: () => Promise<void>;
}) {
  const tr = useText(registryText);
  const lang = useLang();
  const refuse = useRefusal();
  const station = useStation();
  const now = useNow();
  const [confirm, setConfirm] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [running, setRunning] = useState(false);
  const runNow = async () => {
    setRunning(true);
    const reply = await station.transport.request('models.run', { name: model.name });
    setRunning(false);
    if (!reply.ok) setNotice({ kind: 'refused', text: tr('runRefused', { message: refuse(reply.error) }) });
    else {
      const r = reply.value;
      setNotice(
        r.result === 'ok'
          ? { kind: 'ok', text: tr('ran', { ms: r.stats.lastLatencyMs ?? '?' }) }
          : {
              kind: 'refused',
              text:
                r.result === null
                  ? tr('notRun')
                  : tr('runResult', {
                      result: resultWord(r.result, lang),
                      reason: r.stats.lastReason ?? tr('noReason'),
                    }),
            },
      );
      onChanged({ ...model, stats: r.stats });
    }
  };
  const activate = async (version: string) => {
    setConfirm(null);
    const previous = model.activeVersion;
    const reply = await station.transport.request('models.activate', { name: model.name, version });
    if (reply.ok) {
      onChanged(reply.value);
      void station.reloadTags();
    } else void reload();
    setNotice(
      activationText(
        version,
        reply.ok ? { ok: true, model: reply.value } : { ok: false, message: refuse(reply.error) },
        previous,
        lang,
      ),
    );
  };
  return (
    <article
      className="model-entry"
      data-testid="model-entry"
      data-model={model.name}
      data-active={model.activeVersion ?? ''}
      aria-labelledby={`model-${model.name}`}
    >
      <header className="model-head">
        <h2 id={`model-${model.name}`} className="model-name mono">
          {model.name}
        </h2>
        <span className="model-kind">{model.kind ? kindWord(model.kind, lang) : tr('unknownKind')}</span>
        <span className={model.activeVersion ? 'model-active' : 'model-active model-none'} data-testid="model-active">
          {model.activeVersion ? tr('runningVersion', { v: model.activeVersion }) : tr('noVersionRunning')}
        </span>
        {model.everyS ? <span className="muted">{tr('everyS', { s: model.everyS })}</span> : null}
        <span className="model-actions">
          <button
            type="button"
            onClick={() => void runNow()}
            disabled={!model.activeVersion || running}
            data-testid="model-run"
          >
            {running ? tr('running') : tr('runNow')}
          </button>
        </span>
      </header>
      {model.description ? <p className="model-desc">{pickText(model.description, lang)}</p> : null}
      <NoticeLine notice={notice} testId="model-result" />
      {model.loadError ? (
        <div className="model-error" data-testid="model-load-error">
          <strong>
            {tr('lastActivationFailed')}
            {model.activeVersion ? tr('keptRunning', { v: model.activeVersion }) : ''}:
          </strong>
          <pre>{model.loadError}</pre>
        </div>
      ) : null}
      <div className="model-columns">
        <table
          className="grid model-stats"
          data-testid="model-stats"
          aria-label={tr('runStatistics', { name: model.name })}
        >
          <tbody>
            {statLines(model.stats, now, lang).map((s) => (
              <tr key={s.key} data-stat={s.key} className={s.abnormal ? 'model-stat-abnormal' : undefined}>
                <th scope="row">{s.label}</th>
                <td className={s.key === 'last-reason' ? 'model-reason' : 'mono'}>
                  {s.abnormal && s.key !== 'last-reason' ? <span className="pred-flag">!</span> : null} {s.value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Backfill model={model} />
      </div>
      <ModelMonitoring model={model} />
      <details className="model-io">
        <summary>{tr('ioSummary', { inputs: model.inputs.length, outputs: model.outputs.length })}</summary>
        <p className="mono model-io-list">{tr('inputsList', { list: model.inputs.join(', ') })}</p>
        <p className="mono model-io-list">{tr('outputsList', { list: model.outputs.map((o) => o.tag).join(', ') })}</p>
      </details>
      <h3 className="model-subtitle">{tr('versions')}</h3>
      <div className="model-versions">
        {model.versions.map((v) => {
          const running = v.version === model.activeVersion;
          return (
            <section
              key={`${v.source}:${v.version}:${v.manifestFile}`}
              className={`model-version${running ? ' model-version-running' : ''}${v.error ? ' model-version-refused' : ''}`}
              data-testid="model-version"
              data-version={v.version}
              data-state={running ? 'running' : v.error ? 'refused' : 'valid'}
            >
              <div className="model-version-head">
                <strong className="mono">{v.version}</strong>
                <span className="model-source">{v.source}</span>
                <span className={`model-version-state${v.error ? ' model-version-state-refused' : ''}`}>
                  {running ? tr('stateRunning') : v.error ? tr('stateRefused') : tr('stateValid')}
                </span>
                <span className="mono muted model-file" title={v.manifestFile}>
                  {v.manifestFile}
                </span>
                {!running && !v.error ? (
                  <button
                    type="button"
                    onClick={() => setConfirm(v.version)}
                    data-testid="model-activate"
                    data-version={v.version}
                  >
                    {tr('activate', { v: v.version })}
                  </button>
                ) : null}
              </div>
              {v.error ? (
                <pre className="model-version-error" data-testid="model-version-error">
                  {v.error}
                </pre>
              ) : null}
              {v.card ? (
                <details className="model-card" open={running} data-testid="model-card">
                  <summary>{tr('cardSummary', { date: v.card.date, rev: v.card.codeRevision })}</summary>
                  <dl className="model-card-facts">
                    <dt>{tr('trainingData')}</dt>
                    <dd data-testid="model-card-training">{v.card.trainingData}</dd>
                    <dt>{tr('date')}</dt>
                    <dd>{v.card.date}</dd>
                    <dt>{tr('codeRevision')}</dt>
                    <dd className="mono">{v.card.codeRevision}</dd>
                    {v.card.notes ? (
                      <>
                        <dt>{tr('notes')}</dt>
                        <dd className="model-card-notes">{v.card.notes}</dd>
                      </>
                    ) : null}
                  </dl>
                  <table className="grid model-metrics" data-testid="model-metrics">
                    <thead>
                      <tr>
                        <th scope="col">{tr('metric')}</th>
                        <th scope="col" className="num">
                          {tr('value')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {metricRows(v.card.metrics).map((r) => (
                        <tr key={r.key} data-metric={r.key}>
                          <td className="mono">{r.label}</td>
                          <td className="num mono">{r.value}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              ) : null}
            </section>
          );
        })}
      </div>
      {confirm ? (
        <ModalDialog
          title={tr('activateTitle', { name: model.name, v: confirm })}
          onClose={() => setConfirm(null)}
          testId="model-activate-dialog"
        >
          <p>
            {tr('activateReplaces', {
              v: confirm,
              old: model.activeVersion ? tr('replacesVersion', { v: model.activeVersion }) : tr('replacesNothing'),
            })}
          </p>
          <p className="muted">
            {tr('activateChecks', {
              fallback: model.activeVersion ? tr('keepsRunning', { v: model.activeVersion }) : tr('nothingChanges'),
            })}
          </p>
          <div className="modal-actions">
            <button type="button" onClick={() => setConfirm(null)}>
              {tr('cancel')}
            </button>
            <button type="button" onClick={() => void activate(confirm)} data-testid="model-activate-confirm">
              {tr('activate', { v: confirm })}
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </article>
  );
}

function Backfill({ model }: { model: ModelInfoDto }) {
  const tr = useText(registryText);
  const lang = useLang();
  const refuse = useRefusal();
  const station = useStation();
  // Typed on a 24-hour clock, as everywhere in the console (a browser's date picker may show AM/PM).
  const [fromText, setFromText] = useState(() => formatDateTime(Date.now() - 24 * 3_600_000, false));
  const [toText, setToText] = useState(() => formatDateTime(Date.now(), false));
  const [stepText, setStepText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [job, setJob] = useState<BackfillState | null>(null);
  useEffect(
    () => station.transport.on('models.backfillProgress', (e) => setJob((s) => nextBackfillState(s, e))),
    [station],
  );
  const start = async () => {
    const range = backfillRange(fromText, toText, (t) => parseDateTime(t) ?? Number.NaN, Date.now(), lang);
    if (typeof range === 'string') {
      setMessage(range);
      return;
    }
    const step = stepText.trim() ? Number(stepText) : undefined;
    if (step !== undefined && (!Number.isInteger(step) || step < 1 || step > 86_400)) {
      setMessage(tr('badStep'));
      return;
    }
    setMessage(null);
    const reply = await station.transport.request('models.backfill', {
      name: model.name,
      from: range.from,
      to: range.to,
      ...(step !== undefined ? { stepS: step } : {}),
    });
    if (!reply.ok) setMessage(tr('refused', { message: refuse(reply.error) }));
    else setJob({ jobId: reply.value.jobId, model: model.name, fraction: 0, runs: 0, done: false });
  };
  const cancel = async () => {
    if (!job) return;
    const reply = await station.transport.request('models.cancelBackfill', { jobId: job.jobId });
    if (!reply.ok) setMessage(tr('cancelRefused', { message: refuse(reply.error) }));
    else if (!reply.value.cancelled) setMessage(tr('alreadyFinished'));
  };
  const runningJob = job !== null && !job.done;
  return (
    <form
      className="model-backfill"
      data-testid="model-backfill"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <fieldset disabled={!model.activeVersion}>
        <legend>{tr('backfillLegend')}</legend>
        <label>
          {tr('from')}{' '}
          <input
            value={fromText}
            onChange={(e) => setFromText(e.target.value)}
            placeholder="YYYY-MM-DD HH:MM"
            size={16}
            data-testid="backfill-from"
          />
        </label>
        <label>
          {tr('to')}{' '}
          <input
            value={toText}
            onChange={(e) => setToText(e.target.value)}
            placeholder="YYYY-MM-DD HH:MM"
            size={16}
            data-testid="backfill-to"
          />
        </label>
        <label>
          {tr('step')}{' '}
          <input
            type="number"
            min={1}
            max={86_400}
            placeholder={model.everyS ? String(model.everyS) : ''}
            value={stepText}
            onChange={(e) => setStepText(e.target.value)}
            data-testid="backfill-step"
            className="model-step"
          />{' '}
          {tr('seconds')}
        </label>
        <button type="submit" disabled={runningJob} data-testid="backfill-start">
          {tr('backfill')}
        </button>
        {runningJob ? (
          <button type="button" onClick={() => void cancel()} data-testid="backfill-cancel">
            {tr('cancel')}
          </button>
        ) : null}
      </fieldset>
      {job ? (
        <div
          className="model-progress"
          data-testid="backfill-progress"
          data-done={job.done}
          data-error={job.error ?? ''}
        >
          <progress max={1} value={job.fraction} aria-label={tr('backfillProgress')} />
          <span className={job.error ? 'pred-reason' : undefined}>{backfillText(job, lang)}</span>
        </div>
      ) : null}
      {message ? (
        <p className="pred-reason" role="alert">
          {message}
        </p>
      ) : null}
    </form>
  );
}

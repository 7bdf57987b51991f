/**
 * Import a model package from files in the registry (engineers, `model.manage`): pick the
 * manifest and its .onnx file, send them (chunked, with progress), and see the station's
 * answer — refused with the validation message (file:line:path, hash, opset, shape), or
 * imported as a new version that does not run until activated. The runtime checks,
 * authorizes and audits; the console only checks sizes first.
 */
import { useState } from 'react';
import { MODEL_IMPORT_MAX_BYTES, type ModelInfoDto } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { useText } from '../i18n/language.js';
import { sendModelPackage, sortPicked, type PickedFile } from './model-import-client.js';
import { predictionsText } from './predictions-text.js';
import './model-import.css';

type Phase = { kind: 'idle' } | { kind: 'sending'; fraction: number } | { kind: 'checking' };
export type ImportNotice = { kind: 'ok' | 'refused'; text: string; version?: string } | null;

export function ModelImport({ onImported }: { onImported: (model: ModelInfoDto) => void }) {
  const station = useStation();
  const t = useText(predictionsText);
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [notice, setNotice] = useState<ImportNotice>(null);
  const busy = phase.kind !== 'idle';
  const submit = async () => {
    const picked: PickedFile[] = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const sorted = sortPicked(picked);
    if (typeof sorted === 'string') {
      setNotice({
        kind: 'refused',
        text:
          sorted === 'need-two'
            ? t('importNeedTwo')
            : sorted === 'need-manifest'
              ? t('importNeedManifest')
              : t('importNeedOnnx'),
      });
      return;
    }
    setNotice(null);
    setPhase({ kind: 'sending', fraction: 0 });
    const outcome = await sendModelPackage(station.transport, sorted.manifest, sorted.onnx, (fraction) =>
      setPhase(fraction >= 1 ? { kind: 'checking' } : { kind: 'sending', fraction }),
    );
    setPhase({ kind: 'idle' });
    if (outcome.ok) {
      const { name, version, model } = outcome.value;
      setNotice({
        kind: 'ok',
        version,
        text: t('importDone', { name, version, running: model.activeVersion ?? t('importNothingRunning') }),
      });
      onImported(model);
      setOpen(false);
      setFiles([]);
    } else {
      setNotice({
        kind: 'refused',
        text:
          outcome.stage === 'upload'
            ? t('importUploadFailed', { message: outcome.error.message })
            : t('importRefused', { message: outcome.error.message }),
      });
    }
  };
  return (
    <>
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="model-import-open">
        {t('importButton')}
      </button>
      {open ? (
        <form
          className="model-import"
          data-testid="model-import"
          aria-label={t('importTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2 className="model-import-title">{t('importTitle')}</h2>
          <p className="model-import-hint">
            {t('importHint', { max: Math.round(MODEL_IMPORT_MAX_BYTES / 1024 / 1024) })}
          </p>
          <label className="model-import-files">
            {t('importFiles')}{' '}
            <input
              type="file"
              multiple
              accept=".yaml,.yml,.onnx"
              disabled={busy}
              data-testid="model-import-files"
              onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            />
          </label>
          {files.length > 0 ? (
            <ul className="model-import-picked mono">
              {files.map((f) => (
                <li key={f.name}>
                  {f.name} ({f.size.toLocaleString('en-GB')} B)
                </li>
              ))}
            </ul>
          ) : null}
          <div className="model-import-actions">
            <button type="submit" disabled={busy || files.length === 0} data-testid="model-import-send">
              {t('importSend')}
            </button>
            <button type="button" disabled={busy} onClick={() => setOpen(false)}>
              {t('importClose')}
            </button>
            {phase.kind === 'sending' ? (
              <span className="model-import-progress" role="status">
                <progress max={1} value={phase.fraction} />{' '}
                {t('importSending', { pct: Math.round(phase.fraction * 100) })}
              </span>
            ) : phase.kind === 'checking' ? (
              <span className="model-import-progress" role="status">
                {t('importChecking')}
              </span>
            ) : null}
          </div>
        </form>
      ) : null}
      {notice ? (
        <div
          className={`pred-notice model-import-result${notice.kind === 'refused' ? ' pred-notice-refused' : ''}`}
          role="status"
          data-testid="model-import-result"
          data-result={notice.kind}
          data-version={notice.version ?? ''}
        >
          <span aria-hidden="true">{notice.kind === 'refused' ? '✕ ' : '✓ '}</span>
          <pre className="model-import-message">{notice.text}</pre>
        </div>
      ) : null}
    </>
  );
}

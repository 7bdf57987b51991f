/**
 * The form that adds a picked OPC UA variable to the project as a tag, prefilled from the
 * node. Problems are shown next to their field before anything is sent; the runtime's
 * answer (added, or why not: duplicate name, device offline…) right under the form.
 */
import { useState, type FormEvent } from 'react';
import { useStation } from '../app/station-context.js';
import {
  addTagFormFromNode,
  addTagResultText,
  checkAddTagForm,
  dataTypeName,
  kindFromDataType,
  stripNamespace,
  type AddTagField,
  type AddTagForm,
  type TagKind,
} from './tag-from-node.js';
import type { PickedNode } from './browse-tree-view.js';
import { useText } from '../i18n/language.js';
import { engineeringText } from './engineering-text.js';
import { useRefusal } from '../app/use-refusal.js';

type Outcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string };

function Problem({ field, problems }: { field: AddTagField; problems: Partial<Record<AddTagField, string>> }) {
  const text = problems[field];
  return text ? (
    <span className="field-problem" id={`addtag-${field}-problem`} role="alert">
      {text}
    </span>
  ) : null;
}

export function AddTagFormView({ device, node }: { device: string; node: PickedNode }) {
  const t = useText(engineeringText);
  const refuse = useRefusal();
  const station = useStation();
  const [form, setForm] = useState<AddTagForm>(() => addTagFormFromNode(device, node.browsePath, node.entry));
  const [problems, setProblems] = useState<Partial<Record<AddTagField, string>>>({});
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const supportedKind = kindFromDataType(node.entry.dataType);
  const serverWritable = node.entry.writable ?? false;

  const set = <K extends keyof AddTagForm>(key: K, value: AddTagForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: 'name' | 'descriptionEn' | 'descriptionZh' | 'unit' | 'rangeMin' | 'rangeMax' | 'decimals') => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const check = checkAddTagForm(form);
    if (!check.ok) {
      setProblems(check.problems);
      setOutcome(null);
      return;
    }
    setProblems({});
    setSending(true);
    setOutcome(null);
    const reply = await station.transport.request('project.addTag', check.params);
    setSending(false);
    setOutcome(reply.ok ? { ok: true, text: addTagResultText(reply.value) } : { ok: false, text: refuse(reply.error) });
  };

  return (
    <form className="addtag-form admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="addtag-title" noValidate>
      <h2 id="addtag-title">{t('addToProject')}</h2>
      <dl className="cert-facts node-facts">
        <dt>{t('node')}</dt>
        <dd className="mono">{node.entry.nodeId}</dd>
        <dt>{t('browsePath')}</dt>
        <dd className="mono">{['Objects', ...node.browsePath.map(stripNamespace)].join(' / ')}</dd>
        <dt>{t('dataType')}</dt>
        <dd>{dataTypeName(node.entry.dataType) ?? t('unknown')}</dd>
        <dt>{t('engineeringUnit')}</dt>
        <dd>{node.entry.engineeringUnit || '—'}</dd>
        <dt>{t('access')}</dt>
        <dd>{serverWritable ? t('readWrite') : t('readOnly')}</dd>
      </dl>
      {supportedKind === null ? (
        <p className="form-problem" role="alert">
          {t('badType', { type: dataTypeName(node.entry.dataType) ?? t('unknown') })}
        </p>
      ) : null}
      <label>
        <span>{t('tagName')}</span>
        <input
          className="mono"
          {...text('name')}
          aria-invalid={problems.name !== undefined}
          aria-describedby="addtag-name-problem"
          data-testid="addtag-name"
          spellCheck={false}
        />
        <Problem field="name" problems={problems} />
      </label>
      <label>
        <span>{t('descriptionEn')}</span>
        <input
          {...text('descriptionEn')}
          maxLength={200}
          aria-invalid={problems.descriptionEn !== undefined}
          aria-describedby="addtag-descriptionEn-problem"
          data-testid="addtag-description"
        />
        <Problem field="descriptionEn" problems={problems} />
      </label>
      <label>
        <span>{t('descriptionZh')}</span>
        <input {...text('descriptionZh')} maxLength={200} lang="zh" data-testid="addtag-description-zh" />
        <Problem field="descriptionZh" problems={problems} />
      </label>
      <div className="addtag-row">
        <label>
          <span>{t('kind')}</span>
          <select value={form.kind} onChange={(e) => set('kind', e.target.value as TagKind)} data-testid="addtag-kind">
            <option value="analog">{t('analog')}</option>
            <option value="digital">{t('digital')}</option>
            <option value="text">{t('text')}</option>
          </select>
        </label>
        {form.kind === 'analog' ? (
          <>
            <label>
              <span>{t('unit')}</span>
              <input className="addtag-short" {...text('unit')} maxLength={20} data-testid="addtag-unit" />
            </label>
            <label>
              <span>{t('rangeMin')}</span>
              <input
                className="addtag-short"
                inputMode="decimal"
                {...text('rangeMin')}
                aria-invalid={problems.range !== undefined}
                data-testid="addtag-range-min"
              />
            </label>
            <label>
              <span>{t('rangeMax')}</span>
              <input
                className="addtag-short"
                inputMode="decimal"
                {...text('rangeMax')}
                aria-invalid={problems.range !== undefined}
                data-testid="addtag-range-max"
              />
            </label>
            <label>
              <span>{t('decimals')}</span>
              <input
                className="addtag-short"
                inputMode="numeric"
                {...text('decimals')}
                aria-invalid={problems.decimals !== undefined}
                data-testid="addtag-decimals"
              />
            </label>
          </>
        ) : null}
      </div>
      <Problem field="unit" problems={problems} />
      <Problem field="range" problems={problems} />
      <Problem field="decimals" problems={problems} />
      <label className="checkbox-label">
        <input
          type="checkbox"
          checked={form.writable}
          disabled={!serverWritable}
          onChange={(e) => set('writable', e.target.checked)}
          data-testid="addtag-writable"
        />
        <span>
          {t('writable')}
          {serverWritable ? '' : t('serverReadOnly')}
        </span>
      </label>
      <button type="submit" disabled={sending || supportedKind === null} data-testid="addtag-submit">
        {sending ? t('adding') : t('addToProject')}
      </button>
      {outcome ? (
        <p
          className={outcome.ok ? 'form-ok' : 'form-problem'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="addtag-result"
          data-result={outcome.ok ? 'added' : 'refused'}
        >
          <strong>{outcome.ok ? '✓ Added.' : '✕ Not added.'}</strong> {outcome.text}
        </p>
      ) : null}
    </form>
  );
}

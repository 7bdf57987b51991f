/** The pieces every equipment faceplate is made of: command buttons (by role) and value rows with ranges. */
import { createContext, useContext, type ReactNode } from 'react';
import { useTagInfo, useTagValue } from '../app/station-context.js';
import { pickText } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { LiveValue } from '../values/live-value.js';
import { faceplateText } from './faceplates-text.js';
import { rangeText, type WriteOutcome, type WriteValue } from './write-request.js';

/** A command of the faceplate: a tag write, with a fixed value or an entry. */
export interface FaceplateCommand {
  readonly tag: string;
  readonly fixed?: WriteValue;
  readonly preview?: (value: WriteValue | null) => ReactNode;
  readonly after?: (written: WriteValue, outcome: WriteOutcome) => ReactNode;
}

export interface CommandAccess {
  readonly canWrite: boolean;
  readonly run: (command: FaceplateCommand) => void;
}

export const CommandContext = createContext<CommandAccess>({ canWrite: false, run: () => undefined });

/** A command button: only for a user with `tag.write` and a writable tag. */
export function CommandButton({ label, testId, ...command }: FaceplateCommand & { label: string; testId: string }) {
  const { canWrite, run } = useContext(CommandContext);
  const info = useTagInfo(command.tag);
  if (!canWrite || info?.writable !== true) return null;
  return (
    <button
      type="button"
      className="fp-command"
      onClick={() => run(command)}
      data-testid={testId}
      data-command-tag={command.tag}
    >
      {label}
    </button>
  );
}

/**
 * Auto or manual: the mode as the controller reports it and the command to the other one (to
 * manual unless it is known to be in manual); `children` follow in the same row.
 */
export function ModeControl({ tag, children }: { tag: string; children?: ReactNode }) {
  const t = useText(faceplateText);
  const auto = useTagValue(tag)?.v;
  return (
    <div
      className="fp-mode"
      data-testid="fp-mode"
      data-mode={auto === true ? 'auto' : auto === false ? 'manual' : 'unknown'}
    >
      <span className="fp-label">{t('mode')}</span>
      <LiveValue tag={tag} compact />
      {auto === false ? (
        <CommandButton tag={tag} fixed={true} label={t('setAuto')} testId="fp-cmd-auto" />
      ) : (
        <CommandButton tag={tag} fixed={false} label={t('setManual')} testId="fp-cmd-manual" />
      )}
      {children}
    </div>
  );
}

export function useCanCommand(): boolean {
  return useContext(CommandContext).canWrite;
}

/** One live value with its label (the tag's description) and range. */
export function ValueRow({ tag, label, command }: { tag: string; label?: string; command?: boolean }) {
  const t = useText(faceplateText);
  const lang = useLang();
  const info = useTagInfo(tag);
  if (!info) return null;
  return (
    <tr data-testid="fp-value-row" data-fp-tag={tag}>
      <th scope="row">{label ?? pickText(info.description, lang)}</th>
      <td className="fp-value">
        <LiveValue tag={tag} compact />
      </td>
      <td className="fp-range">{rangeText(info) ?? ''}</td>
      {command ? (
        <td>
          {info.writable ? (
            <CommandButton
              tag={tag}
              label={t('changePoint')}
              testId={`fp-cmd-${tag.split('.').slice(1).join('-').toLowerCase()}`}
            />
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

/** Live values with ranges; `commands`: a change button beside each writable one (equipment without its own faceplate body). */
export function ValueTable({
  tags,
  caption,
  commands,
}: {
  tags: readonly string[];
  caption?: string;
  commands?: boolean;
}) {
  const t = useText(faceplateText);
  return (
    <table className="fp-values">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">{t('colSignal')}</th>
          <th scope="col">{t('colValue')}</th>
          <th scope="col">{t('colRange')}</th>
          {commands ? <th scope="col">{t('commands')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {tags.map((tag) => (
          <ValueRow key={tag} tag={tag} {...(commands ? { command: true } : {})} />
        ))}
      </tbody>
    </table>
  );
}

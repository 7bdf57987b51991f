/**
 * The faceplate context: who may write, and the openers (a tag's faceplate, an equipment's
 * faceplate) that FaceplateHost (faceplate-access.tsx) provides to values and symbols.
 */
import { createContext, useCallback, useContext, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import type { TagInfo } from '../../preload/contract.js';

export interface FaceplateActions {
  /** The tag faceplate (a setpoint or command of one tag). */
  readonly openTag: (tag: string) => void;
  /** The equipment faceplate by key (`SS01.P1`, `SS01.CV`, `SS01.HC`). */
  readonly openEquipmentFaceplate: (equipmentKey: string) => void;
}

export interface FaceplateAccess extends FaceplateActions {
  readonly canWrite: boolean;
}

export const FaceplateContext = createContext<FaceplateAccess>({
  canWrite: false,
  openTag: () => undefined,
  openEquipmentFaceplate: () => undefined,
});

/** The opener for a value element, or null when the value is not writable by this user. */
export function useWriteOpener(tag: string, info: Pick<TagInfo, 'writable'> | undefined): (() => void) | null {
  const { canWrite, openTag } = useContext(FaceplateContext);
  const openThis = useCallback(() => openTag(tag), [openTag, tag]);
  return canWrite && info?.writable === true ? openThis : null;
}

export function useFaceplateActions(): FaceplateActions {
  const { openTag, openEquipmentFaceplate } = useContext(FaceplateContext);
  return useMemo(() => ({ openTag, openEquipmentFaceplate }), [openTag, openEquipmentFaceplate]);
}

/**
 * Props that make a mimic symbol open its equipment faceplate: focusable, a button to
 * assistive technology, click, Enter or Space. Empty when there is no key.
 */
export function useEquipmentOpenerProps(equipmentKey: string | null, label: string) {
  const { openEquipmentFaceplate } = useContext(FaceplateContext);
  if (!equipmentKey) return {};
  const open = () => openEquipmentFaceplate(equipmentKey);
  return {
    role: 'button',
    tabIndex: 0,
    'aria-haspopup': 'dialog' as const,
    'aria-label': label,
    'data-faceplate': equipmentKey,
    className: 'faceplate-opener',
    onClick: open,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      e.stopPropagation();
      open();
    },
  };
}

/** Inside an equipment faceplate values are text: its commands are explicit buttons. */
export function WithoutWriteOpeners({ children }: { children: ReactNode }) {
  const outer = useContext(FaceplateContext);
  const value = useMemo<FaceplateAccess>(() => ({ ...outer, canWrite: false }), [outer]);
  return <FaceplateContext value={value}>{children}</FaceplateContext>;
}

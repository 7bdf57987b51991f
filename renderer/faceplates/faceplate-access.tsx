/**
 * Opening faceplates. A writable value opens the tag faceplate for a user whose permissions
 * include `tag.write` (for everyone else values are plain text and no write control exists;
 * the runtime refuses their writes anyway). Equipment (a pump, the control valve, the
 * heating-curve controller) opens its equipment faceplate for everyone: values, trend and
 * alarms for all, commands only as the role allows. One host for the whole console:
 * `openEquipmentFaceplate('SS01.P1')` from a mimic symbol (click, Enter or Space), a menu or a key.
 */
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStationSnapshot } from '../app/station-context.js';
import { mayDo } from '../auth/access.js';
import { Faceplate } from './faceplate.js';
import { EquipmentFaceplate } from './equipment-faceplate.js';
import { FaceplateContext, type FaceplateAccess } from './faceplate-context.js';
import { FaceplateMimicActions } from './faceplate-mimic.js';

export {
  useWriteOpener,
  useFaceplateActions,
  useEquipmentOpenerProps,
  type FaceplateActions,
} from './faceplate-context.js';
import './faceplates.css';

type Open =
  { readonly kind: 'tag'; readonly tag: string } | { readonly kind: 'equipment'; readonly key: string } | null;

export function FaceplateHost({ children }: { children: ReactNode }) {
  const { auth } = useStationSnapshot();
  const canWrite = mayDo(auth, 'tag.write');
  const signedIn = auth !== null && auth.state === 'active';
  const [open, setOpen] = useState<Open>(null);
  // Where focus returns when the last faceplate closes (one faceplate may open another).
  const returnTo = useRef<HTMLElement | null>(null);
  const isOpen = useRef(false);
  const remember = () => {
    if (!isOpen.current)
      returnTo.current =
        document.activeElement instanceof HTMLElement || document.activeElement instanceof SVGElement
          ? (document.activeElement as HTMLElement)
          : null;
    isOpen.current = true;
  };
  const openTag = useCallback((tag: string) => {
    remember();
    setOpen({ kind: 'tag', tag });
  }, []);
  const openEquipmentFaceplate = useCallback((key: string) => {
    remember();
    setOpen({ kind: 'equipment', key });
  }, []);
  const close = useCallback(() => {
    isOpen.current = false;
    setOpen(null);
    const target = returnTo.current;
    returnTo.current = null;
    // After the dialog has gone (its own clean-up focuses what opened it, if still there).
    requestAnimationFrame(() => {
      if (target?.isConnected && (document.activeElement === document.body || document.activeElement === null))
        target.focus();
    });
  }, []);
  const access = useMemo<FaceplateAccess>(
    () => ({ canWrite, openTag, openEquipmentFaceplate }),
    [canWrite, openTag, openEquipmentFaceplate],
  );
  return (
    <FaceplateContext value={access}>
      <FaceplateMimicActions>{children}</FaceplateMimicActions>
      {open?.kind === 'tag' && canWrite ? <Faceplate key={open.tag} tag={open.tag} onClose={close} /> : null}
      {open?.kind === 'equipment' && signedIn ? (
        <EquipmentFaceplate key={open.key} equipmentKey={open.key} onClose={close} />
      ) : null}
    </FaceplateContext>
  );
}

/**
 * Who may open a faceplate: a writable tag (`writable: true`) and a user whose permissions
 * include `tag.write`. For everyone else values are plain text and no write control exists
 * (the runtime refuses their writes anyway). One context for the whole console, so live
 * values do not subscribe to the sign-in state one by one.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { TagInfo } from '../../preload/contract.js';
import { useStationSnapshot } from '../app/station-context.js';
import { mayDo } from '../auth/access.js';
import { Faceplate } from './faceplate.js';

interface FaceplateAccess {
  readonly canWrite: boolean;
  readonly open: (tag: string) => void;
}

const FaceplateContext = createContext<FaceplateAccess>({ canWrite: false, open: () => undefined });

/** The opener for a value element, or null when the value is not writable by this user. */
export function useWriteOpener(tag: string, info: Pick<TagInfo, 'writable'> | undefined): (() => void) | null {
  const { canWrite, open } = useContext(FaceplateContext);
  const openThis = useCallback(() => open(tag), [open, tag]);
  return canWrite && info?.writable === true ? openThis : null;
}

export function FaceplateHost({ children }: { children: ReactNode }) {
  const { auth } = useStationSnapshot();
  const canWrite = mayDo(auth, 'tag.write');
  const [openTag, setOpenTag] = useState<string | null>(null);
  const access = useMemo<FaceplateAccess>(() => ({ canWrite, open: setOpenTag }), [canWrite]);
  return (
    <FaceplateContext value={access}>
      {children}
      {canWrite && openTag !== null ? <Faceplate key={openTag} tag={openTag} onClose={() => setOpenTag(null)} /> : null}
    </FaceplateContext>
  );
}

/**
 * The alarm limits a screen's tanks mark: `alarms.definitions` asked once when a screen
 * opens (and again when the link comes back), shared by its symbols through a context.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AlarmDefinitionDto } from '../../preload/contract.js';
import { useConnected, useStation } from '../app/station-context.js';
import { limitMarks, type LimitMark } from './equipment-state.js';

type Definitions = readonly Pick<AlarmDefinitionDto, 'tag' | 'kind' | 'limit'>[];

const LimitsContext = createContext<Definitions>([]);

export function MimicLimitsProvider({ children }: { children: ReactNode }) {
  const station = useStation();
  const connected = useConnected();
  const [definitions, setDefinitions] = useState<Definitions>([]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void station.transport.request('alarms.definitions', {}).then((reply) => {
      if (live && reply.ok && Array.isArray(reply.value)) setDefinitions(reply.value);
    });
    return () => {
      live = false;
    };
  }, [station, connected]);
  return <LimitsContext value={definitions}>{children}</LimitsContext>;
}

/** Low-low … high-high limits of a tag, lowest first. */
export function useLimitMarks(tag: string): LimitMark[] {
  const definitions = useContext(LimitsContext);
  return useMemo(() => limitMarks(definitions, tag), [definitions, tag]);
}

/**
 * The model list for the outlook and the registry: `models.list` on mount, after every
 * reconnection and every `refreshMs` (run statistics move), and on demand.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlarmDefinitionDto, ModelInfoDto } from '../../preload/contract.js';
import { useConnected, useStation } from '../app/station-context.js';
import { useRefusal } from '../app/use-refusal.js';

export interface ModelList {
  readonly models: readonly ModelInfoDto[] | null;
  readonly error: string | null;
  reload(): Promise<void>;
  /** Replace one model's entry (after activate or run). */
  put(model: ModelInfoDto): void;
  replace(models: readonly ModelInfoDto[]): void;
}

export function useModels(refreshMs = 15_000): ModelList {
  const station = useStation();
  const refuse = useRefusal();
  const connected = useConnected();
  const [models, setModels] = useState<readonly ModelInfoDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  const askedFor = useRef('');
  const reload = useCallback(async () => {
    const reply = await station.transport.request('models.list', {});
    if (!alive.current) return;
    if (reply.ok) {
      setModels(reply.value);
      setError(null);
      // Outputs of a model started after the console loaded its tag list: read the list again (once per new set).
      const known = station.getSnapshot().tagsByName;
      const missing = reply.value
        .flatMap((m) => (m.activeVersion ? m.outputs.map((o) => o.tag) : []))
        .filter((t) => !known.has(t));
      const key = missing.join(',');
      if (missing.length > 0 && key !== askedFor.current) {
        askedFor.current = key;
        void station.reloadTags();
      }
    } else setError(refuse(reply.error));
  }, [station, refuse]);
  useEffect(() => {
    alive.current = true;
    if (!connected) return;
    void reload();
    const timer = setInterval(() => void reload(), refreshMs);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [reload, refreshMs, connected]);
  const put = useCallback(
    (model: ModelInfoDto) =>
      setModels((list) => (list ? list.map((m) => (m.name === model.name ? model : m)) : [model])),
    [],
  );
  const replace = useCallback((list: readonly ModelInfoDto[]) => setModels(list), []);
  return { models, error, reload, put, replace };
}

/** The predictive alarm definitions (thresholds, recommended actions), asked for once per connection and when the models change. */
export function usePredictiveDefinitions(modelsKey: string): readonly AlarmDefinitionDto[] {
  const station = useStation();
  const connected = useConnected();
  const [defs, setDefs] = useState<readonly AlarmDefinitionDto[]>([]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void station.transport.request('alarms.definitions', {}).then((reply) => {
      if (live && reply.ok) setDefs(reply.value.filter((d) => d.source === 'predictive'));
    });
    return () => {
      live = false;
    };
  }, [station, connected, modelsKey]);
  return defs;
}

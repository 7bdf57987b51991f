/**
 * The alarm side of the console: one AlarmStore kept in step with the station, the horn,
 * the operator's alarm commands and the two keys (acknowledge the selected alarm, silence
 * the horn), shared by the banner, the summary and the mimic markers.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { AlarmDto, AuthStatus } from '../../preload/contract.js';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { AlarmStore, type AlarmStoreSnapshot } from './alarm-store.js';
import { AlarmSync } from './alarm-sync.js';
import { HornPlayer, type AudioPhase } from './horn-audio.js';
import { ALARM_KEYS, hornDemand, hornState, type HornDemand, type HornState } from './horn.js';
import { isUnacked } from './alarm-view.js';
import { afterNextPaint } from '../state/after-paint.js';
import type { Lang } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { alarmText } from './alarm-text.js';

export type AlarmPermission = 'alarm.acknowledge' | 'alarm.comment' | 'alarm.shelve' | 'alarm.outOfService';

/** What the runtime lets this user do with alarms (the runtime checks every call anyway). */
export function mayAlarm(auth: AuthStatus | null, permission: AlarmPermission): boolean {
  return auth !== null && auth.state === 'active' && auth.permissions.includes(permission);
}

export interface AlarmNotice {
  readonly kind: 'ok' | 'refused';
  readonly text: string;
  readonly at: number;
}

export interface AlarmConsole {
  readonly store: AlarmStore;
  readonly sync: AlarmSync;
  readonly player: HornPlayer;
  acknowledge(ids: readonly string[]): Promise<void>;
  silence(): Promise<void>;
  readonly notice: AlarmNotice | null;
  say(notice: Omit<AlarmNotice, 'at'>): void;
}

/** The alarm console for the tree below (tests provide one with a filled store). */
export const AlarmContext = createContext<AlarmConsole | null>(null);

const BLINK_OFF_CLASS = 'alarm-blink-off';
const BLINK_HALF_PERIOD_MS = 500;

export function useAlarmConsole(): AlarmConsole | null {
  return useContext(AlarmContext);
}

const noStore = { subscribe: () => () => undefined, get: (): AlarmStoreSnapshot | null => null };

export function useAlarmSnapshot(): AlarmStoreSnapshot | null {
  const c = useContext(AlarmContext);
  const subscribe = c ? c.store.subscribe : noStore.subscribe;
  const get: () => AlarmStoreSnapshot | null = c ? c.store.getSnapshot : noStore.get;
  return useSyncExternalStore(subscribe, get, get);
}

/** The most urgent annunciated alarm of a tag; re-renders only when that changes. */
export function useTagAlarm(tag: string | undefined): AlarmDto | undefined {
  const c = useContext(AlarmContext);
  const subscribe = useCallback((l: () => void) => (c ? c.store.subscribe(l) : () => undefined), [c]);
  const get = useCallback(() => (c && tag ? c.store.worstForTag(tag) : undefined), [c, tag]);
  return useSyncExternalStore(subscribe, get, get);
}

export function useEquipmentAlarm(key: string | null): AlarmDto | undefined {
  const c = useContext(AlarmContext);
  const subscribe = useCallback((l: () => void) => (c ? c.store.subscribe(l) : () => undefined), [c]);
  const get = useCallback(() => (c && key ? c.store.worstForEquipment(key) : undefined), [c, key]);
  return useSyncExternalStore(subscribe, get, get);
}

export function useAudioPhase(player: HornPlayer | undefined): AudioPhase {
  const subscribe = useCallback((l: () => void) => (player ? player.onChange(l) : () => undefined), [player]);
  const get = useCallback(() => player?.audio ?? 'idle', [player]);
  return useSyncExternalStore(subscribe, get, get);
}

export interface HornView {
  readonly state: HornState;
  readonly demand: HornDemand | null;
}

export function hornViewOf(snapshot: AlarmStoreSnapshot | null): HornView {
  if (!snapshot) return { state: 'off', demand: null };
  return {
    state: hornState(snapshot.alarms, snapshot.silencedAt),
    demand: hornDemand(snapshot.alarms, snapshot.silencedAt),
  };
}

function describeRefusals(refused: readonly { id: string; reason: string }[], lang: Lang): string {
  const first = refused[0];
  const what = `${first?.id}: ${first?.reason}${refused.length > 1 ? ', …' : ''}`;
  return first
    ? lang === 'zh'
      ? `；${refused.length} 条被拒绝（${what}）`
      : `; ${refused.length} refused (${what})`
    : '';
}

export function AlarmProvider({ children, locked }: { children: ReactNode; locked: boolean }) {
  const station = useStation();
  const { auth } = useStationSnapshot();
  const lang = useLang();
  const t = useText(alarmText);
  const store = useMemo(() => new AlarmStore(), []);
  const sync = useMemo(() => new AlarmSync(station.transport, store), [station, store]);
  const player = useMemo(() => new HornPlayer(), []);
  const [notice, setNotice] = useState<AlarmNotice | null>(null);
  const say = useCallback((n: Omit<AlarmNotice, 'at'>) => setNotice({ ...n, at: Date.now() }), []);

  useEffect(() => {
    sync.start();
    return () => sync.stop();
  }, [sync]);
  useEffect(() => () => player.dispose(), [player]);

  // Unacknowledged markers blink in step: one class on the root, toggled twice a second.
  useEffect(() => {
    const root = document.documentElement;
    const timer = setInterval(() => root.classList.toggle(BLINK_OFF_CLASS), BLINK_HALF_PERIOD_MS);
    return () => {
      clearInterval(timer);
      root.classList.remove(BLINK_OFF_CLASS);
    };
  }, []);

  // Another user (their areas differ) or a sign-out: forget what was shown.
  const user = auth?.user?.name ?? null;
  const lastUser = useRef(user);
  useEffect(() => {
    if (lastUser.current !== user) {
      lastUser.current = user;
      store.clear();
    }
  }, [user, store]);

  // The horn follows the list.
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const demand = useMemo(() => hornDemand(snapshot.alarms, snapshot.silencedAt), [snapshot]);
  // Once the alarms are on screen: starting audio costs a first paint some 20 ms it need not wait for.
  useEffect(
    () => afterNextPaint(() => player.play(locked ? null : (demand?.priority ?? null))),
    [player, demand?.priority, locked],
  );

  const acknowledge = useCallback(
    async (ids: readonly string[]) => {
      if (ids.length === 0) return say({ kind: 'refused', text: t('nothingToAck') });
      const reply = await station.transport.request('alarms.acknowledge', { ids: [...ids] });
      if (!reply.ok)
        return say({
          kind: 'refused',
          text: t('refusedAs', { what: t('ruleAck'), code: reply.error.code, message: reply.error.message }),
        });
      const { acknowledged, refused } = reply.value;
      say({
        kind: refused.length > 0 ? 'refused' : 'ok',
        text: t(acknowledged.length === 1 ? 'acknowledged1' : 'acknowledgedN', {
          n: acknowledged.length,
          refused: describeRefusals(refused, lang),
        }),
      });
    },
    [station, say, t, lang],
  );

  const silence = useCallback(async () => {
    const reply = await station.transport.request('alarms.silence', {});
    if (!reply.ok)
      return say({
        kind: 'refused',
        text: t('silenceRefused', { code: reply.error.code, message: reply.error.message }),
      });
    store.apply([], reply.value.silencedAt);
    say({ kind: 'ok', text: t('hornSilencedNotice') });
  }, [station, store, say]);

  const mayAck = mayAlarm(auth, 'alarm.acknowledge');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (locked || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.code !== ALARM_KEYS.acknowledge && e.code !== ALARM_KEYS.silence) return;
      e.preventDefault();
      if (!mayAck) return say({ kind: 'refused', text: t('roleCannotAck') });
      if (e.code === ALARM_KEYS.silence) return void silence();
      const id = store.selectedId;
      const selected = id ? store.get(id) : undefined;
      if (!selected) return say({ kind: 'refused', text: t('selectThenKey', { key: ALARM_KEYS.acknowledge }) });
      if (!isUnacked(selected)) return say({ kind: 'refused', text: t('alreadyAcked', { id: selected.id }) });
      void acknowledge([selected.id]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [locked, mayAck, store, acknowledge, silence, say]);

  const value = useMemo<AlarmConsole>(
    () => ({ store, sync, player, acknowledge, silence, notice, say }),
    [store, sync, player, acknowledge, silence, notice, say],
  );
  return <AlarmContext value={value}>{children}</AlarmContext>;
}

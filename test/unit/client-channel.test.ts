import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientChannel, type ChannelAccess } from '../../main/runtime/api/client-channel.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import type { DeviceRegistry } from '../../main/runtime/devices/device-registry.js';
import type { Sample } from '../../protocols/driver.js';

// The channel only asks the registry for change notifications and the list: a stand-in with those two.
const noDevices = { onChange: () => () => undefined, list: () => [] } as unknown as DeviceRegistry;
const sample = (tag: string, value: number, t: number): Sample => ({
  tag,
  value,
  quality: { code: 'Good' },
  sourceTime: t,
  receiveTime: t,
});

afterEach(() => vi.useRealTimers());

function setup(access: ChannelAccess) {
  vi.useFakeTimers();
  const tags = new TagTable(['SS01.A.X', 'SS01.A.Y', 'SS02.A.X'], 0);
  const sent: Array<{ name: string; data: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let current = access;
  const channel = new ClientChannel(
    tags,
    noDevices,
    (name, data) => sent.push({ name, data }),
    () => current,
    { changeFlushMs: 50, refreshFlushMs: 1000 },
  );
  return { tags, sent, channel, setAccess: (a: ChannelAccess) => (current = a) };
}

const operator: ChannelAccess = { state: 'active', principal: { name: 'op', role: 'operator', areas: [] } };

describe('ClientChannel', () => {
  it('pushes a change after a quiet spell at once, then coalesces to the latest value per tag', () => {
    const { tags, sent, channel } = setup(operator);
    tags.apply([sample('SS01.A.X', 1, 1)]);
    vi.advanceTimersByTime(0);
    expect(sent.map((m) => m.data.values.map((v: { v: number }) => v.v))).toEqual([[1]]);
    tags.apply([sample('SS01.A.X', 2, 2)]);
    tags.apply([sample('SS01.A.X', 3, 3)]);
    vi.advanceTimersByTime(10);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(50);
    expect(sent[1]!.data.values).toEqual([expect.objectContaining({ tag: 'SS01.A.X', v: 3 })]);
    channel.close();
  });

  it('sends unchanged values only with the periodic refresh', () => {
    const { tags, sent, channel } = setup(operator);
    tags.apply([sample('SS01.A.Y', 5, 1)]);
    vi.advanceTimersByTime(100);
    tags.apply([sample('SS01.A.Y', 5, 200)]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(sent[1]!.data.values).toEqual([expect.objectContaining({ tag: 'SS01.A.Y', v: 5, rt: 200 })]);
    channel.close();
  });

  it('filters to the user’s plant areas and sends nothing to a signed-out window', () => {
    const { tags, sent, channel, setAccess } = setup({
      state: 'active',
      principal: { name: 'op', role: 'operator', areas: ['SS02'] },
    });
    tags.apply([sample('SS01.A.X', 1, 1), sample('SS02.A.X', 2, 1)]);
    vi.advanceTimersByTime(60);
    expect(sent.flatMap((m) => m.data.values.map((v: { tag: string }) => v.tag))).toEqual(['SS02.A.X']);
    setAccess({ state: 'signed-out', principal: null });
    tags.apply([sample('SS02.A.X', 3, 2)]);
    vi.advanceTimersByTime(60);
    expect(sent.at(-1)).toEqual({ name: 'auth.changed', data: { state: 'signed-out' } });
    expect(sent.filter((m) => m.name === 'tags.changed')).toHaveLength(1);
    channel.close();
  });
});

describe('ClientChannel watching some tags', () => {
  it('pushes only the watched tags, drops pending values of the others, and widens again on null', () => {
    const { tags, sent, channel } = setup(operator);
    tags.apply([sample('SS01.A.X', 1, 1), sample('SS01.A.Y', 1, 1)]);
    channel.watch(new Set(['SS01.A.Y', 'NOT.DEFINED.YET']));
    vi.advanceTimersByTime(60);
    expect(sent.flatMap((m) => m.data.values.map((v: { tag: string }) => v.tag))).toEqual(['SS01.A.Y']);
    tags.apply([sample('SS01.A.X', 2, 100), sample('SS01.A.Y', 2, 100), sample('SS02.A.X', 2, 100)]);
    vi.advanceTimersByTime(60);
    expect(sent.at(-1)!.data.values).toEqual([expect.objectContaining({ tag: 'SS01.A.Y', v: 2 })]);
    // Refreshes (same value, newer receive time) are narrowed too.
    tags.apply([sample('SS01.A.X', 2, 200), sample('SS01.A.Y', 2, 200)]);
    vi.advanceTimersByTime(1000);
    expect(sent.at(-1)!.data.values).toEqual([expect.objectContaining({ tag: 'SS01.A.Y', rt: 200 })]);
    channel.watch(null);
    tags.apply([sample('SS01.A.X', 3, 300), sample('SS02.A.X', 3, 300)]);
    vi.advanceTimersByTime(60);
    expect(sent.at(-1)!.data.values.map((v: { tag: string }) => v.tag)).toEqual(['SS01.A.X', 'SS02.A.X']);
    channel.close();
  });

  it('keeps the area filter while watching: a watched tag outside the user’s areas is not pushed', () => {
    const { tags, sent, channel } = setup({
      state: 'active',
      principal: { name: 'op', role: 'operator', areas: ['SS02'] },
    });
    channel.watch(new Set(['SS01.A.X', 'SS02.A.X']));
    tags.apply([sample('SS01.A.X', 1, 1), sample('SS02.A.X', 2, 1)]);
    vi.advanceTimersByTime(60);
    expect(sent.flatMap((m) => m.data.values.map((v: { tag: string }) => v.tag))).toEqual(['SS02.A.X']);
    channel.close();
  });
});

describe('ClientChannel on a congested link', () => {
  it('holds tag values (latest per tag) while the link is congested and sends them once it drains', () => {
    vi.useFakeTimers();
    const tags = new TagTable(['SS01.A.X', 'SS01.A.Y'], 0);
    const sent: Array<{ name: string; data: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    let congested = true;
    const channel = new ClientChannel(
      tags,
      noDevices,
      (name, data) => sent.push({ name, data }),
      () => operator,
      {
        changeFlushMs: 50,
        refreshFlushMs: 1000,
        congested: () => congested,
      },
    );
    tags.apply([sample('SS01.A.X', 1, 1), sample('SS01.A.Y', 1, 1)]);
    vi.advanceTimersByTime(200);
    tags.apply([sample('SS01.A.X', 2, 300)]);
    vi.advanceTimersByTime(1200);
    expect(sent.filter((m) => m.name === 'tags.changed')).toEqual([]);
    congested = false;
    vi.advanceTimersByTime(60);
    const pushed = sent
      .filter((m) => m.name === 'tags.changed')
      .flatMap((m) => m.data.values.map((v: { tag: string; v: number }) => `${v.tag}=${v.v}`));
    expect(pushed).toEqual(['SS01.A.X=2', 'SS01.A.Y=1']);
    channel.close();
  });
});

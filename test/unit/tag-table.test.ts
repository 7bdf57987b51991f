import { describe, expect, it } from 'vitest';
import { TagTable, type TagUpdate } from '../../main/runtime/tags/tag-table.js';
import { toTagValueDto } from '../../main/runtime/tags/tag-dto.js';
import { HistoryFeed } from '../../main/runtime/tags/history-feed.js';
import type { Sample } from '../../protocols/driver.js';

const sample = (tag: string, value: Sample['value'], t: number, code: 'Good' | 'Bad' = 'Good'): Sample => ({
  tag,
  value,
  quality: code === 'Good' ? { code } : { code, reason: 'communication lost' },
  sourceTime: t,
  receiveTime: t,
});

describe('TagTable', () => {
  it('starts every tag Bad with no value', () => {
    const table = new TagTable(['A.B.C'], 1000);
    expect(table.get('A.B.C')).toMatchObject({
      value: null,
      quality: { code: 'Bad', reason: 'no value received yet' },
    });
  });

  it('marks value and quality changes, passes refreshes, ignores unknown tags', () => {
    const table = new TagTable(['A.B.C', 'A.B.D'], 0);
    const seen: TagUpdate[][] = [];
    table.subscribe((u) => seen.push([...u]));
    table.apply([sample('A.B.C', 1, 10), sample('X.Y.Z', 5, 10)]);
    table.apply([sample('A.B.C', 1, 20)]);
    table.apply([sample('A.B.C', 1, 30, 'Bad')]);
    expect(seen.map((batch) => batch.map((u) => u.changed))).toEqual([[true], [false], [true]]);
    expect(table.get('X.Y.Z')).toBeUndefined();
  });

  it('lists every tag with its latest sample (defined ones too), and a new Bad reason is a change', () => {
    const table = new TagTable(['A.B.C', 'A.B.D'], 0);
    table.define(['M.OUT', 'A.B.C'], 0);
    const seen: boolean[] = [];
    table.subscribe((u) => seen.push(...u.map((x) => x.changed)));
    const lost = sample('A.B.D', null, 10, 'Bad');
    table.apply([
      sample('A.B.C', 7, 10),
      lost,
      { ...lost, quality: { code: 'Bad', reason: 'refused' }, receiveTime: 11 },
    ]);
    expect([...table.names()]).toEqual(['A.B.C', 'A.B.D', 'M.OUT']);
    expect([...table.all()].map((s) => [s.tag, s.value, s.quality.reason])).toEqual([
      ['A.B.C', 7, undefined],
      ['A.B.D', null, 'refused'],
      ['M.OUT', null, 'no value received yet'],
    ]);
    expect(seen).toEqual([true, true, true]);
    expect(table.size).toBe(3);
  });

  it('does not let an older sample overwrite a newer one', () => {
    const table = new TagTable(['A.B.C'], 0);
    table.apply([sample('A.B.C', 2, 100)]);
    table.apply([sample('A.B.C', 1, 50)]);
    expect(table.get('A.B.C')?.value).toBe(2);
  });

  it('sends non-finite numbers as Bad nulls', () => {
    expect(toTagValueDto(sample('A.B.C', Number.NaN, 5))).toMatchObject({ v: null, q: 'Bad' });
    expect(toTagValueDto(sample('A.B.C', 3, 5))).toEqual({ tag: 'A.B.C', v: 3, q: 'Good', ts: 5, rt: 5 });
  });
});

describe('HistoryFeed', () => {
  it('passes samples whose source time moved on and drops re-confirmations', () => {
    const feed = new HistoryFeed();
    const s1 = sample('A.B.C', 1, 10);
    const reconfirmed = { ...s1, receiveTime: 20 };
    const next = sample('A.B.C', 2, 30);
    expect(feed.select([{ sample: s1, changed: true }])).toEqual([s1]);
    expect(feed.select([{ sample: reconfirmed, changed: false }])).toEqual([]);
    expect(
      feed
        .select([
          { sample: next, changed: true },
          { sample: sample('A.B.D', 5, 5), changed: true },
        ])
        .map((s) => s.tag),
    ).toEqual(['A.B.C', 'A.B.D']);
  });
});

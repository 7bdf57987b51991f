/** The audit view's pure parts: filter form → request params, detail summaries, paging, export file name. */
import { describe, expect, it } from 'vitest';
import {
  auditActionName,
  auditActionNames,
  auditCsvFileName,
  auditParams,
  detailText,
  emptyAuditFilter,
  exportParams,
  pageCount,
  parseLocalDateTime,
  summariseDetails,
} from '../../renderer/audit/audit-format.js';

describe('audit filter', () => {
  it('sends only what is filled in, with paging', () => {
    expect(auditParams(emptyAuditFilter, 0, 50)).toEqual({ limit: 50, offset: 0 });
    expect(
      auditParams(
        { ...emptyAuditFilter, actor: ' demo-operator ', action: 'tag.write', target: 'SS01.MU.P_SP' },
        2,
        50,
      ),
    ).toEqual({
      limit: 50,
      offset: 100,
      actor: 'demo-operator',
      action: 'tag.write',
      target: 'SS01.MU.P_SP',
    });
  });

  it('reads datetime-local values in local time; "to" includes its whole minute', () => {
    const from = parseLocalDateTime('2026-11-25T08:10');
    expect(from).toBe(new Date(2026, 10, 25, 8, 10, 0).getTime());
    expect(parseLocalDateTime('2026-11-25T08:10:30')).toBe(new Date(2026, 10, 25, 8, 10, 30).getTime());
    // Typed on a 24-hour clock with a space, as the filter fields take it.
    expect(parseLocalDateTime('2026-11-25 20:10')).toBe(new Date(2026, 10, 25, 20, 10, 0).getTime());
    expect(parseLocalDateTime('')).toBeUndefined();
    expect(parseLocalDateTime('yesterday')).toBeUndefined();
    const p = auditParams({ ...emptyAuditFilter, from: '2026-11-25T08:10', to: '2026-11-25T08:20' }, 0, 10);
    expect(p.from).toBe(from);
    expect(p.to).toBe(new Date(2026, 10, 25, 8, 21, 0).getTime());
  });

  it('exports with the same filter and no paging', () => {
    expect(exportParams({ ...emptyAuditFilter, action: 'login' })).toEqual({ action: 'login' });
  });

  it('counts pages, at least one', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
  });
});

describe('summariseDetails', () => {
  it('tag.write: old → new with unit and the outcome', () => {
    const requested = {
      action: 'tag.write',
      details: { tag: 'P', old: 1.8, new: 2.25, unit: 'bar', result: 'requested' },
    };
    expect(summariseDetails(requested)).toBe('1.8 bar → 2.25 bar (requested)');
    const ok = {
      action: 'tag.write',
      details: {
        tag: 'P',
        old: 1.8,
        new: 2.25,
        unit: 'bar',
        result: 'ok',
        confirmed: true,
        readBack: 2.25,
        requestSeq: 3,
      },
    };
    expect(summariseDetails(ok)).toBe('1.8 bar → 2.25 bar (ok, confirmed); request #3');
  });

  it('a write with an error reads as failed whatever the result field says', () => {
    const entry = {
      action: 'tag.write',
      details: { old: true, new: false, unit: '', result: 'ok', error: 'device busy', requestSeq: 7 },
    };
    expect(summariseDetails(entry)).toBe('true → false (failed: device busy); request #7');
  });

  it('uses the state labels of a digital tag when known', () => {
    const entry = { action: 'tag.write', details: { old: false, new: true, unit: '', result: 'requested' } };
    expect(summariseDetails(entry, { false: 'Manual', true: 'Auto' })).toBe('Manual (false) → Auto (true) (requested)');
  });

  it('keeps a reason and other keys, drops session references', () => {
    const entry = {
      action: 'tag.write',
      details: { old: 1, new: 2, unit: '', reason: 'handover', result: 'requested', sessionRef: 'abc' },
    };
    expect(summariseDetails(entry)).toBe('1 → 2 (requested); reason: handover');
    expect(
      summariseDetails({ action: 'login', details: { via: 'user.switch', previousUser: 'op', sessionRef: 'x' } }),
    ).toBe('via: user.switch; previous user: op');
  });

  it('reads in Chinese: outcomes and known keys translated, values and unknown keys as the station wrote them', () => {
    const ok = {
      action: 'tag.write',
      details: {
        tag: 'P',
        old: 1.8,
        new: 2.25,
        unit: 'bar',
        result: 'ok',
        confirmed: true,
        reason: 'handover',
        requestSeq: 3,
      },
    };
    expect(summariseDetails(ok, undefined, 'zh')).toBe('1.8 bar → 2.25 bar (成功，已确认)；原因：handover；请求 #3');
    const failed = {
      action: 'tag.write',
      details: { old: true, new: false, result: 'ok', error: 'device busy', custom: 7 },
    };
    expect(summariseDetails(failed, undefined, 'zh')).toBe('true → false (失败：device busy)；custom：7');
  });

  it('shortens long and structured values', () => {
    expect(detailText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(detailText({ a: 1 })).toBe('{"a":1}');
    expect(detailText(null)).toBe('—');
  });
});

describe('auditCsvFileName', () => {
  it('is dated in local time', () => {
    expect(auditCsvFileName(new Date(2026, 0, 5, 7, 3).getTime())).toBe('argus-audit-20260105-0703.csv');
  });
});

describe('auditActionName', () => {
  it('names every action the runtime writes in both languages, never as its code', () => {
    for (const action of auditActionNames) {
      const en = auditActionName(action, 'en');
      const zh = auditActionName(action, 'zh');
      expect(en, action).not.toBe(action);
      expect(zh, action).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(auditActionName('tag.write', 'en')).toBe('Value written');
    expect(auditActionName('alarm.acknowledge', 'zh')).toBe('确认报警');
  });
  it('leaves an action the console does not know (a newer station) as its code', () => {
    expect(auditActionName('pump.autotune', 'zh')).toBe('pump.autotune');
    expect(auditActionName('toString', 'en')).toBe('toString');
  });
});

/**
 * The demo project's alarm set is rationalized: every alarm tells the operator what,
 * why, what follows and what to do, in English and Chinese; the standby pump's running
 * alarms are suppressed by design; the PLC's alarm word is annunciated once, not twice.
 */
import { describe, expect, it } from 'vitest';
import { loadDemoProject } from '../support/alarm-plant-run.js';
import { projectAlarmDefinitions } from '../../main/runtime/alarms/alarm-definitions.js';
import { plcAlarmWord } from '../../scripts/demo-alarm-set.js';

const project = loadDemoProject();
const definitions = projectAlarmDefinitions(project);
const tagAlarms = definitions.filter((d) => d.source === 'tag');

describe('demo alarm set', () => {
  it('gives every alarm its message, cause, consequence and action in English and Chinese', () => {
    expect(tagAlarms.length).toBeGreaterThan(25);
    for (const d of tagAlarms) {
      for (const text of [d.message, d.cause, d.consequence, d.action]) {
        expect(text?.en.length ?? 0, d.id).toBeGreaterThan(10);
        expect(text?.zh?.length ?? 0, d.id).toBeGreaterThan(4);
        expect(text!.zh, `${d.id}: Chinese text with full-width punctuation`).not.toMatch(/[,;:()]/);
      }
      expect(d.screen, d.id).not.toBeNull();
    }
  });

  it('annunciates the PLC alarm word once: only the bits no other alarm covers, and no OPC UA conditions on top', () => {
    const wordTags = project.tags
      .filter((t) => t.name.startsWith('SS01.ALM.'))
      .map((t) => t.name.slice('SS01.'.length));
    expect(Object.keys(plcAlarmWord).sort()).toEqual(wordTags.sort());
    const annunciated = tagAlarms
      .filter((d) => d.tag!.startsWith('SS01.ALM.'))
      .map((d) => d.tag!.slice('SS01.'.length));
    expect(annunciated).toEqual(Object.keys(plcAlarmWord).filter((k) => plcAlarmWord[k]!.startsWith('annunciated')));
    for (const [bit, note] of Object.entries(plcAlarmWord)) {
      const covering = /covered by ([A-Z0-9_.]+)/.exec(note)?.[1];
      if (covering)
        expect(
          definitions.map((d) => d.id),
          `${bit} is covered by ${covering}`,
        ).toContain(`SS01.${covering}`);
    }
    for (const device of project.devices)
      if (device.protocol === 'opcua') expect(device.conditions, device.name).toBe(false);
  });

  it("suppresses each pump's running alarms while that pump stands still, never its fault", () => {
    for (const pump of ['P1', 'P2']) {
      const own = tagAlarms.filter((d) => d.equipment === pump);
      const running = own.filter((d) => d.kind !== 'state');
      expect(running.length).toBeGreaterThanOrEqual(5);
      for (const d of running) expect(d.suppressWhen, d.id).toEqual({ tag: `SS01.${pump}.RUN`, equals: false });
      expect(own.find((d) => d.tag === `SS01.${pump}.FAULT`)).toMatchObject({ priority: 'high', suppressWhen: null });
    }
  });

  it('has communication alarms for both devices and few critical alarms', () => {
    expect(definitions.filter((d) => d.source === 'device').map((d) => [d.device, d.priority])).toEqual([
      ['SS01-PLC', 'high'],
      ['SS01-OPCUA', 'high'],
    ]);
    const critical = tagAlarms.filter((d) => d.priority === 'critical').map((d) => d.id);
    expect(critical.sort()).toEqual(['SS01.ALM.NO_FLOW.STATE', 'SS01.SEC.P_RET.LL']);
  });
});

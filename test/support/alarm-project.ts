/**
 * Small projects with alarms for tests and benchmarks: `count` analog tags, each with a
 * high alarm at 80 (a flood is every tag going to 90 at once), on one Modbus device.
 */
import { projectSchema, type ProjectConfig } from '../../main/runtime/config/schema.js';

export function floodProject(count: number, area = 'FLD'): ProjectConfig {
  return projectSchema.parse({
    schemaVersion: 1,
    name: `alarm flood ${count}`,
    devices: [{ name: 'FLOOD-PLC', protocol: 'modbus-tcp', host: '127.0.0.1', port: 1 }],
    tags: Array.from({ length: count }, (_, i) => ({
      name: `${area}.U${String(i).padStart(5, '0')}.T`,
      device: 'FLOOD-PLC',
      description: { en: `Unit ${i} temperature` },
      unit: '°C',
      modbus: { table: 'holding', address: i % 60_000, type: 'int16' },
      range: [0, 120],
      alarms: [
        { kind: 'high', limit: 80, deadband: 1, priority: (['low', 'medium', 'high', 'critical'] as const)[i % 4] },
      ],
    })),
    alarmSettings: { commLostPriority: 'off' },
  });
}

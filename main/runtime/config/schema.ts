/**
 * The project file's schema: the one source of truth. The JSON Schema in
 * assets/schema/project.schema.json is generated from it (npm run schema).
 */
import { z } from 'zod';
import {
  modbusAddressSchema,
  modbusRtuDeviceSchema,
  modbusTcpDeviceSchema,
  linearScaleSchema,
} from '../../../protocols/modbus/config.js';
import { opcuaAddressSchema, opcuaDeviceSchema } from '../../../protocols/opcua/config.js';
import { screenSchema as contractScreenSchema, type SvgDrawingDto } from '../../../preload/contract.js';
import { historyConfigSchema } from '../historian/storage-policy.js';
import { alarmConfigSchema, alarmSettingsSchema } from '../alarms/alarm-config.js';

export const PROJECT_SCHEMA_VERSION = 1;

/** ISA-5.1 style `<area>.<equipment>.<signal>`, e.g. SS01.HX.T_SEC_SUP. */
export const tagNamePattern = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

export const deviceSchema = z.discriminatedUnion('protocol', [
  modbusTcpDeviceSchema,
  modbusRtuDeviceSchema,
  opcuaDeviceSchema,
]);
export type DeviceConfig = z.infer<typeof deviceSchema>;

const textSchema = z.object({ en: z.string(), zh: z.string().optional() }).strict();

export const tagSchema = z
  .object({
    name: z.string().regex(tagNamePattern, 'tag names look like AREA.EQUIPMENT.SIGNAL'),
    device: z.string().min(1),
    description: textSchema,
    /** Engineering unit as shown to the operator: "°C", "bar", "m³/h", "%". Empty for states and counts. */
    unit: z.string().default(''),
    /** Value kind as the operator sees it, after decoding and scaling. */
    kind: z.enum(['analog', 'digital', 'text']).default('analog'),
    modbus: modbusAddressSchema.optional(),
    opcua: opcuaAddressSchema.optional(),
    scale: linearScaleSchema.optional(),
    /** Engineering range: the normal span drawn on displays, and the bounds for setpoint writes. */
    range: z.tuple([z.number(), z.number()]).optional(),
    /** Normal operating band [low, high] (inside `range`): drawn grey on analog indicators; outside it the value is shown abnormal. */
    normal: z.tuple([z.number(), z.number()]).optional(),
    decimals: z.number().int().min(0).max(6).default(1),
    /** Labels for digital states, e.g. { false: "Stopped", true: "Running" }, each in one language or both ({ en, zh }). */
    states: z
      .object({ false: z.union([z.string(), textSchema]), true: z.union([z.string(), textSchema]) })
      .strict()
      .optional(),
    writable: z.boolean().default(false),
    /** A write needs a reason and a second confirmation (e.g. a pump command, a safety-relevant setpoint). */
    critical: z.boolean().default(false),
    /** Overrides the device's poll/sampling interval, ms. */
    intervalMs: z.number().int().min(10).optional(),
    /** How history stores the tag (deadband or swinging door, heartbeat); default: every change of a sensor's resolution. */
    history: historyConfigSchema.optional(),
    /** Alarms on this tag: limits, deviation, rate, state, data quality (see main/runtime/alarms/alarm-config.ts). */
    alarms: z.array(alarmConfigSchema).optional(),
  })
  .strict();
export type TagConfig = z.infer<typeof tagSchema>;

export const screenSchema = contractScreenSchema
  .extend({
    level: z.number().int().min(1).max(4).default(2),
    width: z.number().positive().default(1200),
    height: z.number().positive().default(700),
    elements: contractScreenSchema.shape.elements.default([]),
    /**
     * A screen drawn in an SVG editor, relative to the project file (`screens/x.svg`): its elements'
     * `data-tag` / `data-bind` attributes make it live (main/runtime/config/svg-screen.ts). Its size is
     * the drawing's viewBox; `elements` are drawn over it.
     */
    svg: z.string().min(1).optional(),
  })
  .strict();
/** A screen as loaded: an `svg` screen also carries its sanitized drawing (load-project.ts reads it). */
export type ScreenConfig = z.infer<typeof screenSchema> & { readonly drawing?: SvgDrawingDto };

export const simulatorSchema = z
  .object({
    substations: z.number().int().min(1).max(500).default(1),
    speed: z.number().positive().max(10_000).default(1),
    /** Fixed ports for the built-in simulator; 0 picks a free port at start-up. */
    modbusPort: z.number().int().min(0).max(65535).default(0),
    opcuaPort: z.number().int().min(0).max(65535).default(0),
  })
  .strict();

export const projectSchema = z
  .object({
    schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    simulator: simulatorSchema.optional(),
    devices: z.array(deviceSchema).min(1),
    tags: z.array(tagSchema),
    screens: z.array(screenSchema).default([]),
    /** Communication alarms and the plant's response rules. */
    alarmSettings: alarmSettingsSchema.optional(),
  })
  .strict();
export type ProjectConfig = Omit<z.infer<typeof projectSchema>, 'screens'> & { screens: ScreenConfig[] };

/** Served by the simulator the runtime starts itself (serial devices never are). */
export function isBuiltinSimulatorDevice(device: DeviceConfig): boolean {
  return 'builtinSimulator' in device && device.builtinSimulator;
}

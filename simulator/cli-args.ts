/**
 * Command-line and console-command parsing for the simulator CLI, pure so it can be tested.
 */
import { parseArgs } from 'node:util';
import { faultKinds, type FaultKind } from './physics/faults.js';
import type { FaultSpec } from './plant.js';

export interface CliOptions {
  readonly speed: number;
  readonly substations: number;
  readonly host: string;
  readonly modbusPort: number;
  readonly opcuaPort: number;
  readonly seed: number;
  readonly opcua: boolean;
  /** Publish the alarm word as OPC UA alarm conditions. */
  readonly opcuaConditions: boolean;
  readonly pkiDir: string | undefined;
  /** Faults with a start relative to the simulated start (ms) or absolute. */
  readonly faults: readonly FaultArgument[];
  readonly help: boolean;
}

export interface FaultArgument {
  readonly spec: Omit<FaultSpec, 'startsAt'>;
  readonly start:
    { readonly kind: 'relative'; readonly ms: number } | { readonly kind: 'absolute'; readonly at: number } | null;
}

export const usage = `Usage: npm run sim -- [options]
  --speed N            simulated seconds per real second (default 1)
  --substations N      substations SS01…SSnn, Modbus unit ids 1…N (default 1)
  --host ADDR          address to bind (default 127.0.0.1)
  --modbus-port N      Modbus TCP port (default 0 = any free port)
  --opcua-port N       OPC UA port (default 0 = any free port)
  --seed N             weather and noise seed (default 1)
  --no-opcua           serve Modbus only
  --no-opcua-conditions  OPC UA without the alarm conditions (lighter for very many substations)
  --pki DIR            folder for the OPC UA server certificate
  --fault SPEC         kind:severity[:substation[:target]][@+10m|@ISO-time], repeatable
                       kinds: ${faultKinds.join(', ')}
Console commands on stdin: modbus stop | modbus start | fault <kind> <severity> [substation] [target] [ramp=<n>s|m|h]
  | clear | status | set <tag> <value> | get <tag> | quit`;

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name}: expected an integer ${min}…${max}, got "${text}"`);
  return n;
}

const durationUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseFaultArgument(text: string): FaultArgument {
  const m = /^([a-z-]+):([0-9.]+)(?::(\d+))?(?::([A-Za-z0-9_.]+))?(?:@(.+))?$/.exec(text);
  if (!m) throw new Error(`--fault: expected kind:severity[:substation[:target]][@+10m], got "${text}"`);
  const kind = m[1] as FaultKind;
  if (!faultKinds.includes(kind)) throw new Error(`--fault: unknown kind "${m[1]}" (one of ${faultKinds.join(', ')})`);
  const severity = Number(m[2]);
  if (!(severity >= 0 && severity <= 1)) throw new Error(`--fault: severity must be 0…1, got "${m[2]}"`);
  let start: FaultArgument['start'] = null;
  if (m[5] !== undefined) {
    const rel = /^\+(\d+(?:\.\d+)?)([smhd])$/.exec(m[5]);
    if (rel) start = { kind: 'relative', ms: Number(rel[1]) * durationUnits[rel[2]!]! };
    else {
      const at = Date.parse(m[5]);
      if (Number.isNaN(at)) throw new Error(`--fault: start must be +<n>s|m|h|d or an ISO time, got "${m[5]}"`);
      start = { kind: 'absolute', at };
    }
  }
  return {
    spec: { kind, severity, ...(m[3] ? { substation: Number(m[3]) } : {}), ...(m[4] ? { target: m[4] } : {}) },
    start,
  };
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        speed: { type: 'string' },
        substations: { type: 'string' },
        host: { type: 'string' },
        'modbus-port': { type: 'string' },
        'opcua-port': { type: 'string' },
        seed: { type: 'string' },
        'no-opcua': { type: 'boolean' },
        'no-opcua-conditions': { type: 'boolean' },
        pki: { type: 'string' },
        fault: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    // node:util's messages already name the argument; keep them to one line.
    throw new Error((err instanceof Error ? err.message : String(err)).split('\n')[0], { cause: err });
  }
  const v = parsed.values;
  let speed = 1;
  if (v.speed !== undefined) {
    speed = Number(v.speed);
    if (!(speed > 0 && speed <= 100_000)) throw new Error(`--speed: expected a positive number, got "${v.speed}"`);
  }
  return {
    speed,
    substations: integer('substations', v.substations, 1, 1, 247),
    host: v.host ?? '127.0.0.1',
    modbusPort: integer('modbus-port', v['modbus-port'], 0, 0, 65535),
    opcuaPort: integer('opcua-port', v['opcua-port'], 0, 0, 65535),
    seed: integer('seed', v.seed, 1, 0, 2 ** 31 - 1),
    opcua: !v['no-opcua'],
    opcuaConditions: !v['no-opcua-conditions'],
    pkiDir: v.pki,
    faults: (v.fault ?? []).map(parseFaultArgument),
    help: v.help ?? false,
  };
}

export type ConsoleCommand =
  | { readonly kind: 'modbus'; readonly action: 'start' | 'stop' }
  | { readonly kind: 'fault'; readonly spec: Omit<FaultSpec, 'startsAt'> }
  | { readonly kind: 'clear' }
  | { readonly kind: 'status' }
  | { readonly kind: 'set'; readonly tag: string; readonly value: number | boolean }
  | { readonly kind: 'get'; readonly tag: string }
  | { readonly kind: 'quit' }
  | { readonly kind: 'empty' };

/** Parse one console line; throws an Error with a one-line message when it makes no sense. */
export function parseConsoleCommand(line: string): ConsoleCommand {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  switch (verb) {
    case undefined:
      return { kind: 'empty' };
    case 'modbus':
      if (rest[0] === 'start' || rest[0] === 'stop') return { kind: 'modbus', action: rest[0] };
      throw new Error('usage: modbus start|stop');
    case 'fault': {
      // `ramp=<n>s|m|h|d` anywhere after the kind overrides the kind's default ramp (ramp=0s: at once).
      const rampWord = rest.find((w) => w.startsWith('ramp='));
      const [kind, severity, substation, target] = rest.filter((w) => w !== rampWord);
      if (!kind || !faultKinds.includes(kind as FaultKind))
        throw new Error(`usage: fault <${faultKinds.join('|')}> <severity 0…1> [substation] [target] [ramp=<n>s|m|h]`);
      const s = Number(severity);
      if (!(s >= 0 && s <= 1)) throw new Error(`fault: severity must be 0…1, got "${severity ?? ''}"`);
      const sub = substation === undefined ? undefined : Number(substation);
      if (sub !== undefined && !(Number.isInteger(sub) && sub >= 1))
        throw new Error(`fault: substation must be a number ≥ 1, got "${substation}"`);
      let rampMs: number | undefined;
      if (rampWord !== undefined) {
        const m = /^ramp=(\d+(?:\.\d+)?)([smhd])$/.exec(rampWord);
        if (!m) throw new Error(`fault: ramp must be ramp=<n>s|m|h|d, got "${rampWord}"`);
        rampMs = Number(m[1]) * durationUnits[m[2]!]!;
      }
      return {
        kind: 'fault',
        spec: {
          kind: kind as FaultKind,
          severity: s,
          ...(sub ? { substation: sub } : {}),
          ...(target ? { target } : {}),
          ...(rampMs !== undefined ? { rampMs } : {}),
        },
      };
    }
    case 'clear':
      return { kind: 'clear' };
    case 'status':
      return { kind: 'status' };
    case 'set': {
      const [tag, text] = rest;
      if (!tag || text === undefined) throw new Error('usage: set <tag> <value>');
      const value = text === 'true' ? true : text === 'false' ? false : Number(text);
      if (typeof value === 'number' && Number.isNaN(value))
        throw new Error(`set: "${text}" is not a number or true/false`);
      return { kind: 'set', tag, value };
    }
    case 'get':
      if (!rest[0]) throw new Error('usage: get <tag>');
      return { kind: 'get', tag: rest[0] };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      throw new Error(`unknown command "${verb}" (modbus stop|start, fault, clear, status, set, get, quit)`);
  }
}

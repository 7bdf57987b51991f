/**
 * The Modbus side of the plant: one register image per unit (substation), refreshed in
 * bulk from the physics after each step, so answering a request is a table lookup. Writes
 * to setpoints are decoded, range-checked and applied to the physics, then re-encoded.
 */
import { catalog, tableSizes, HOLDING_FREE_START, HOLDING_MIRROR_START, type TagDefinition } from '../catalog.js';
import type { Substation } from '../physics/substation.js';
import { ExceptionCode, type ModbusDataModel } from './frame.js';
import { decodeRegisters, encodeRegisters, registerCount } from './values.js';

interface UnitImage {
  readonly substation: Substation;
  readonly holding: Uint16Array;
  readonly input: Uint16Array;
  readonly coil: Uint8Array;
  readonly discrete: Uint8Array;
}

const registerTags = catalog.filter((t) => t.modbus.table === 'input' || t.modbus.table === 'holding');
const bitTags = catalog.filter((t) => t.modbus.table === 'coil' || t.modbus.table === 'discrete');
const holdingSetpoints = catalog.filter((t) => t.modbus.table === 'holding');
const coilTags: (TagDefinition | undefined)[] = [];
for (const t of catalog) if (t.modbus.table === 'coil') coilTags[t.modbus.address] = t;
const mirrorLength = Math.min(tableSizes.input, tableSizes.holding - HOLDING_MIRROR_START);

function inRange(t: TagDefinition, value: number): boolean {
  const [lo, hi] = t.range;
  const slack = (hi - lo) * 1e-6;
  return Number.isFinite(value) && value >= lo - slack && value <= hi + slack;
}

export class PlantRegisterMap implements ModbusDataModel {
  private readonly units = new Map<number, UnitImage>();

  constructor(substations: readonly Substation[]) {
    substations.forEach((substation, i) => {
      this.units.set(i + 1, {
        substation,
        holding: new Uint16Array(tableSizes.holding),
        input: new Uint16Array(tableSizes.input),
        coil: new Uint8Array(tableSizes.coil),
        discrete: new Uint8Array(tableSizes.discrete),
      });
    });
    this.refreshAll();
  }

  /** Re-encode every unit's image from its physics (called once per simulation step). */
  refreshAll(): void {
    for (const image of this.units.values()) this.refresh(image);
  }

  private refresh(image: UnitImage): void {
    const s = image.substation;
    for (const t of registerTags) {
      const table = t.modbus.table === 'input' ? image.input : image.holding;
      encodeRegisters(t.modbus, t.read(s), table, t.modbus.address);
    }
    for (const t of bitTags) {
      const table = t.modbus.table === 'coil' ? image.coil : image.discrete;
      table[t.modbus.address] = t.read(s) ? 1 : 0;
    }
    image.holding.set(image.input.subarray(0, mirrorLength), HOLDING_MIRROR_START);
  }

  hasUnit(unitId: number): boolean {
    return this.units.has(unitId);
  }

  readBits(
    unitId: number,
    table: 'coil' | 'discrete',
    address: number,
    quantity: number,
  ): ArrayLike<number> | ExceptionCode {
    const image = this.units.get(unitId);
    if (!image) return ExceptionCode.GatewayTargetFailedToRespond;
    if (address + quantity > tableSizes[table]) return ExceptionCode.IllegalDataAddress;
    return image[table].subarray(address, address + quantity);
  }

  readRegisters(
    unitId: number,
    table: 'holding' | 'input',
    address: number,
    quantity: number,
  ): ArrayLike<number> | ExceptionCode {
    const image = this.units.get(unitId);
    if (!image) return ExceptionCode.GatewayTargetFailedToRespond;
    if (address + quantity > tableSizes[table]) return ExceptionCode.IllegalDataAddress;
    return image[table].subarray(address, address + quantity);
  }

  writeBits(unitId: number, address: number, values: readonly boolean[]): 0 | ExceptionCode {
    const image = this.units.get(unitId);
    if (!image) return ExceptionCode.GatewayTargetFailedToRespond;
    if (address + values.length > tableSizes.coil) return ExceptionCode.IllegalDataAddress;
    try {
      values.forEach((value, i) => {
        const tag = coilTags[address + i];
        if (tag?.write) tag.write(image.substation, value);
        else image.coil[address + i] = value ? 1 : 0;
      });
    } catch {
      return ExceptionCode.ServerDeviceFailure;
    }
    this.refresh(image);
    return 0;
  }

  writeRegisters(unitId: number, address: number, values: Uint16Array): 0 | ExceptionCode {
    const image = this.units.get(unitId);
    if (!image) return ExceptionCode.GatewayTargetFailedToRespond;
    const end = address + values.length;
    if (end > tableSizes.holding) return ExceptionCode.IllegalDataAddress;
    // The mirror of the input registers is read-only.
    if (end > HOLDING_MIRROR_START) return ExceptionCode.IllegalDataAddress;
    if (address < HOLDING_FREE_START) {
      // Setpoints: decode every tag the write touches from the image as it would be after
      // the write, refuse the whole write if any value is out of range, then apply.
      const proposed = image.holding.slice(0, HOLDING_FREE_START);
      proposed.set(values.subarray(0, Math.max(0, Math.min(values.length, HOLDING_FREE_START - address))), address);
      const changes: Array<[TagDefinition, number | boolean]> = [];
      for (const t of holdingSetpoints) {
        const first = t.modbus.address;
        const last = first + registerCount(t.modbus.type) - 1;
        if (last < address || first >= end) continue;
        const value = decodeRegisters(t.modbus, proposed, first);
        if (typeof value === 'number' && !inRange(t, value)) return ExceptionCode.IllegalDataValue;
        changes.push([t, value]);
      }
      try {
        for (const [t, value] of changes) t.write?.(image.substation, value);
      } catch {
        return ExceptionCode.ServerDeviceFailure;
      }
      image.holding.set(proposed.subarray(address, Math.min(end, HOLDING_FREE_START)), address);
    }
    if (end > HOLDING_FREE_START) {
      const from = Math.max(address, HOLDING_FREE_START);
      image.holding.set(values.subarray(from - address), from);
    }
    this.refresh(image);
    return 0;
  }
}

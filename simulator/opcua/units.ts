/**
 * Engineering units as OPC UA EUInformation: UN/CEFACT common codes (OPC UA Part 8) for the
 * units the catalog uses; a unit without a code gets unitId −1 as the standard says.
 */
import { makeEUInformation, type EUInformation } from 'node-opcua';

const unece: Record<string, [code: string, name: string]> = {
  '°C': ['CEL', 'degree Celsius'],
  K: ['KEL', 'kelvin'],
  bar: ['BAR', 'bar'],
  'm³/h': ['MQH', 'cubic metre per hour'],
  'm³': ['MTQ', 'cubic metre'],
  '%': ['P1', 'percent'],
  kW: ['KWT', 'kilowatt'],
  'kW/K': ['', 'kilowatt per kelvin'],
  '%/K': ['', 'percent per kelvin'],
  Hz: ['HTZ', 'hertz'],
  A: ['AMP', 'ampere'],
  V: ['VLT', 'volt'],
  'mm/s': ['C16', 'millimetre per second'],
  kWh: ['KWH', 'kilowatt hour'],
  MWh: ['MWH', 'megawatt hour'],
  h: ['HUR', 'hour'],
  s: ['SEC', 'second'],
};

const cache = new Map<string, EUInformation>();

export function engineeringUnits(unit: string): EUInformation {
  let eu = cache.get(unit);
  if (!eu) {
    const [code, name] = unece[unit] ?? ['', unit];
    const made = makeEUInformation(code, unit, name);
    if (!code) made.unitId = -1;
    cache.set(unit, made);
    eu = made;
  }
  return eu;
}

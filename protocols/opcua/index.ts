/**
 * The OPC UA driver and the functions the runtime calls for the tag picker and trust list.
 */
import type { Driver, DriverLogger } from '../driver.js';
import type { OpcuaAddress, OpcuaDeviceConfig } from './config.js';
import { OpcuaDriver } from './driver.js';

export function createOpcuaDriver(
  device: OpcuaDeviceConfig,
  options: { pkiDir: string; log?: DriverLogger; now?: () => number },
): Driver<OpcuaAddress> {
  return new OpcuaDriver(device, options);
}

export { OpcuaDriver } from './driver.js';
export {
  discoverEndpoints,
  browse,
  browseWithSession,
  OBJECTS_FOLDER,
  type EndpointSummary,
  type DiscoveryOptions,
  type BrowseEntry,
} from './browse.js';
export {
  listServerCertificates,
  trustServerCertificate,
  rejectServerCertificate,
  type ServerCertificateInfo,
  type CertificateTrust,
} from './certificates.js';
export { OpcuaConditionMonitor, SERVER_OBJECT, type ConditionUpdate } from './conditions.js';

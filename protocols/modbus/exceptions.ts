/**
 * Modbus exception codes (Modbus Application Protocol v1.1b3, §7) and how a failed request
 * is described. Pure.
 */

const exceptionNames: Readonly<Record<number, string>> = {
  0x01: 'Illegal Function',
  0x02: 'Illegal Data Address',
  0x03: 'Illegal Data Value',
  0x04: 'Server Device Failure',
  0x05: 'Acknowledge',
  0x06: 'Server Device Busy',
  0x08: 'Memory Parity Error',
  0x0a: 'Gateway Path Unavailable',
  0x0b: 'Gateway Target Device Failed to Respond',
};

/** "02 Illegal Data Address"; unknown codes as "13 Unknown Exception". */
export function exceptionName(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(2, '0');
  return `${hex} ${exceptionNames[code] ?? 'Unknown Exception'}`;
}

/** Exceptions that say "try again shortly" rather than "this request is wrong". */
export function isTransientException(code: number): boolean {
  return code === 0x05 || code === 0x06;
}

/** How a request can fail: each kind is counted separately in the device diagnostics. */
export type ModbusFailureKind = 'exception' | 'timeout' | 'closed' | 'malformed' | 'connect';

export class ModbusRequestError extends Error {
  /** True when the request never went on the wire (the connection was gone before it): a write surely did not happen. */
  readonly notSent: boolean;
  constructor(
    message: string,
    readonly kind: ModbusFailureKind,
    readonly exceptionCode?: number,
    options?: { cause?: unknown; notSent?: boolean },
  ) {
    super(message, options);
    this.name = 'ModbusRequestError';
    this.notSent = options?.notSent ?? false;
  }
}

/** Up to `max` bytes as "01 83 02 …" so a reason can say what came back. */
export function hexBytes(bytes: Uint8Array, max = 24): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} … (${bytes.length} bytes)` : shown;
}

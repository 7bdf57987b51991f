/**
 * Project-file schema for OPC UA endpoints and monitored-item addresses.
 */
import { z } from 'zod';

export const opcuaSecurityModes = ['None', 'Sign', 'SignAndEncrypt'] as const;

export const opcuaDeviceSchema = z
  .object({
    name: z.string().min(1),
    protocol: z.literal('opcua'),
    /** Served by the simulator that the runtime starts itself; the endpoint is filled in at start-up. */
    builtinSimulator: z.boolean().default(false),
    endpointUrl: z.string().regex(/^opc\.tcp:\/\//, 'must start with opc.tcp://').default('opc.tcp://127.0.0.1:4840'),
    securityMode: z.enum(opcuaSecurityModes).default('None'),
    securityPolicy: z.string().default('None'),
    /** Default sampling interval for monitored items, ms. */
    samplingMs: z.number().int().min(0).max(3_600_000).default(1000),
    publishingMs: z.number().int().min(10).max(60_000).default(250),
  })
  .strict();
export type OpcuaDeviceConfig = z.infer<typeof opcuaDeviceSchema>;

export const opcuaAddressSchema = z
  .object({
    /** e.g. "ns=1;s=SS01.HX.T_SEC_SUP" */
    nodeId: z.string().min(1),
    samplingMs: z.number().int().min(0).optional(),
    queueSize: z.number().int().min(1).max(1000).optional(),
    deadband: z
      .object({ kind: z.enum(['absolute', 'percent']), value: z.number().min(0) })
      .strict()
      .optional(),
  })
  .strict();
export type OpcuaAddress = z.infer<typeof opcuaAddressSchema>;

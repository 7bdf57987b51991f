/**
 * Project-file schema for OPC UA endpoints and monitored-item addresses.
 */
import { z } from 'zod';

/** `auto`: the most secure endpoint the server offers among the policies this client supports. */
export const opcuaSecurityModes = ['None', 'Sign', 'SignAndEncrypt', 'auto'] as const;
/** Policies the client accepts; `None` only with security mode None. Deprecated policies (Basic128Rsa15, Basic256) are refused. */
export const opcuaSecurityPolicies = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

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
    /** User name for username/password identity; anonymous when absent. */
    username: z.string().min(1).optional(),
    /** Password in the project file (prefer passwordEnv); never logged. */
    password: z.string().optional(),
    /** Name of an environment variable holding the password. */
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
    /** Largest message accepted from the server, bytes (a hostile server cannot make the client buffer more). */
    maxMessageSize: z.number().int().min(65_536).max(256 * 1024 * 1024).optional(),
    /** Largest number of chunks per message accepted from the server. */
    maxChunkCount: z.number().int().min(1).max(65_535).optional(),
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

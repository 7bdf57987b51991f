/**
 * Project-file schema for OPC UA endpoints and monitored-item addresses.
 */
import { z } from 'zod';

/** `auto`: the most secure endpoint the server offers among the policies this client supports. */
export const opcuaSecurityModes = ['None', 'Sign', 'SignAndEncrypt', 'auto'] as const;
/** Policies the client accepts; `None` only with security mode None. Deprecated policies (Basic128Rsa15, Basic256) are refused. */
export const opcuaSecurityPolicies = [
  'None',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;

const deprecatedPolicies: Readonly<Record<string, string>> = {
  basic128rsa15: 'Basic128Rsa15',
  basic256: 'Basic256',
  pubsubaes128ctr: 'PubSub_Aes128_CTR',
  pubsubaes256ctr: 'PubSub_Aes256_CTR',
};

/** Why a securityPolicy is refused, with the list of valid ones (and the likely intended one). */
export function securityPolicyMessage(input: unknown): string {
  const valid = `valid policies: ${opcuaSecurityPolicies.join(', ')}`;
  if (typeof input !== 'string') return `securityPolicy must be one of the policy names (${valid})`;
  const name = input.includes('#') ? input.slice(input.lastIndexOf('#') + 1) : input;
  const key = name.replace(/[^a-z0-9]/gi, '').toLowerCase();
  const deprecated = deprecatedPolicies[key];
  if (deprecated) return `securityPolicy ${deprecated} is deprecated (broken cryptography) and not supported: ${valid}`;
  const meant = opcuaSecurityPolicies.find((p) => p.replace(/[^a-z0-9]/gi, '').toLowerCase() === key);
  if (meant) return `unknown securityPolicy "${input}": did you mean ${meant}? (${valid}; names are case-sensitive)`;
  return `unknown securityPolicy "${input}" (${valid})`;
}

export const opcuaDeviceSchema = z
  .object({
    name: z.string().min(1),
    protocol: z.literal('opcua'),
    /** Served by the simulator that the runtime starts itself; the endpoint is filled in at start-up. */
    builtinSimulator: z.boolean().default(false),
    endpointUrl: z
      .string()
      .regex(/^opc\.tcp:\/\//, 'must start with opc.tcp://')
      .default('opc.tcp://127.0.0.1:4840'),
    securityMode: z.enum(opcuaSecurityModes).default('None'),
    securityPolicy: z
      .enum(opcuaSecurityPolicies, { error: (issue) => securityPolicyMessage(issue.input) })
      .default('None'),
    /** Default sampling interval for monitored items, ms. */
    samplingMs: z.number().int().min(0).max(3_600_000).default(1000),
    publishingMs: z.number().int().min(10).max(60_000).default(250),
    /** User name for username/password identity; anonymous when absent. */
    username: z.string().min(1).optional(),
    /** Password in the project file (prefer passwordEnv); never logged. */
    password: z.string().optional(),
    /** Name of an environment variable holding the password. */
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** Largest message accepted from the server, bytes (a hostile server cannot make the client buffer more). */
    maxMessageSize: z
      .number()
      .int()
      .min(65_536)
      .max(256 * 1024 * 1024)
      .optional(),
    /** Largest number of chunks per message accepted from the server. */
    maxChunkCount: z.number().int().min(1).max(65_535).optional(),
    /** Alarms & Conditions: the server's alarm conditions join the alarm list; acknowledging one calls its Acknowledge method. */
    conditions: z.boolean().default(false),
    /** Objects whose events carry the conditions (node ids); default the Server object. */
    conditionNotifiers: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.securityMode === 'None' && d.securityPolicy !== 'None') {
      ctx.addIssue({
        code: 'custom',
        path: ['securityPolicy'],
        message: `securityMode None sends everything unsigned and unencrypted, so securityPolicy ${d.securityPolicy} would be ignored: write securityMode: SignAndEncrypt (or Sign), or remove securityPolicy`,
      });
    }
    if (d.securityMode === 'auto' && d.securityPolicy !== 'None') {
      ctx.addIssue({
        code: 'custom',
        path: ['securityPolicy'],
        message: `securityMode auto picks the most secure policy the server offers, so securityPolicy ${d.securityPolicy} would be ignored: write securityMode: SignAndEncrypt (or Sign) to insist on it, or remove securityPolicy`,
      });
    }
  });
export type OpcuaDeviceConfig = z.infer<typeof opcuaDeviceSchema>;

export const opcuaAddressSchema = z
  .object({
    /** e.g. "ns=1;s=SS01.HX.T_SEC_SUP" */
    nodeId: z.string().min(1),
    /** One element of an array node (0-based): the tag reads and writes that element only. */
    index: z.number().int().min(0).max(1_000_000).optional(),
    samplingMs: z.number().int().min(0).optional(),
    queueSize: z.number().int().min(1).max(1000).optional(),
    deadband: z
      .object({ kind: z.enum(['absolute', 'percent']), value: z.number().min(0) })
      .strict()
      .optional(),
  })
  .strict();
export type OpcuaAddress = z.infer<typeof opcuaAddressSchema>;

/**
 * Engineering requests: OPC UA server certificates (list, trust), browsing a server's
 * address space, and adding a browsed node to the project as a tag. Merged into
 * `requests` in preload/contract.ts. Imports only zod.
 */
import { z } from 'zod';

export const serverCertificateSchema = z.object({
  thumbprint: z.string(),
  trust: z.enum(['trusted', 'rejected']),
  subject: z.string(),
  applicationUri: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
});
export type ServerCertificateDto = z.infer<typeof serverCertificateSchema>;

export const browseEntrySchema = z.object({
  nodeId: z.string(),
  browseName: z.string(),
  displayName: z.string(),
  nodeClass: z.string(),
  dataType: z.string().optional(),
  engineeringUnit: z.string().optional(),
  writable: z.boolean().optional(),
  valueRank: z.number().optional(),
});
export type BrowseEntryDto = z.infer<typeof browseEntrySchema>;

const deviceName = z.string().min(1).max(100);

export const engineeringRequests = {
  /** Server certificates the OPC UA client has met: trusted, and rejected ones waiting for a decision. */
  'opcua.certificates': { params: z.object({}).strict(), result: z.array(serverCertificateSchema) },
  /** Trust a rejected server certificate by its thumbprint; the device connects on its next retry. */
  'opcua.trustCertificate': {
    params: z.object({ thumbprint: z.string().regex(/^[0-9A-Fa-f:\s]{40,80}$/, 'a SHA-1 thumbprint in hex') }).strict(),
    result: serverCertificateSchema,
  },
  /** Children of a node (the Objects folder when nodeId is omitted) on a connected OPC UA device. */
  'opcua.browse': {
    params: z.object({ device: deviceName, nodeId: z.string().max(500).optional() }).strict(),
    result: z.array(browseEntrySchema),
  },
  /**
   * Add a browsed variable to the project file as a tag. The file is validated before it is
   * replaced; the tag is polled from the next start of the station runtime.
   */
  'project.addTag': {
    params: z
      .object({
        device: deviceName,
        nodeId: z.string().min(1).max(500),
        name: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/, 'tag names look like AREA.EQUIPMENT.SIGNAL'),
        description: z.object({ en: z.string().min(1).max(200), zh: z.string().max(200).optional() }).strict(),
        unit: z.string().max(20).default(''),
        kind: z.enum(['analog', 'digital', 'text']).default('analog'),
        range: z.tuple([z.number(), z.number()]).optional(),
        decimals: z.number().int().min(0).max(6).default(1),
        writable: z.boolean().default(false),
      })
      .strict(),
    result: z.object({ name: z.string(), projectFile: z.string(), appliesAfterRestart: z.boolean() }),
  },
} as const;

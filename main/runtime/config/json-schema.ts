import { z } from 'zod';
import { projectSchema } from './schema.js';

/** The project file's JSON Schema, generated from the zod schema. */
export function projectJsonSchemaText(): string {
  const schema = z.toJSONSchema(projectSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ ...schema, title: 'Argus project file' }, null, 2) + '\n';
}

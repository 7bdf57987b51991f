/**
 * Writes assets/schema/project.schema.json from the zod schema (the one source of truth),
 * for editors and other tools. A test checks the committed file is current.
 */
import { writeFileSync } from 'node:fs';
import { projectJsonSchemaText } from '../main/runtime/config/json-schema.js';

const target = new URL('../assets/schema/project.schema.json', import.meta.url);
writeFileSync(target, projectJsonSchemaText());
process.stdout.write(`wrote ${target.pathname}\n`);

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { projectJsonSchemaText } from '../../main/runtime/config/json-schema.js';

describe('project JSON Schema', () => {
  it('is generated from the zod schema and committed up to date (npm run schema)', () => {
    const committed = readFileSync(new URL('../../assets/schema/project.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(projectJsonSchemaText());
  });
});

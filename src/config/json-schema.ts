/** The JSON Schema of keywarden.yaml, generated from the zod schema (editors use it for completion). */
import { z } from 'zod';
import { configSchema } from './schema';

export const CONFIG_SCHEMA_ID = 'https://keywarden.dev/schemas/keywarden-config.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: CONFIG_SCHEMA_ID, title: 'keywarden.yaml' };
}

/** The text of schemas/keywarden-config.schema.json. */
export const configJsonSchemaText = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

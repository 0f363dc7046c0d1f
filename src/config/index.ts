/** keywarden.yaml: schema, parsing with located errors, and the engine options it becomes. Pure. */
export { CONFIG_SCHEMA_ID, configJsonSchema, configJsonSchemaText } from './json-schema';
export {
  configWarnings,
  expiryInstant,
  suppressionsOf,
  toAnalysisOptions,
  trustedOf,
  withTrustFlags,
} from './options';
export type { ConfigError, ConfigResult } from './parse';
export { parseConfigText, pathText, validateConfig } from './parse';
export type { KeywardenConfig } from './schema';
export { CONFIG_FILE_NAME, configSchema } from './schema';

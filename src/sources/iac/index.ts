/** Infrastructure-as-code readers: CloudFormation/SAM templates and Terraform (plan JSON and .tf sources). */
export { detectTemplate } from './detect';
export { readTemplate } from './read';
export type {
  KeyResourceType,
  SymbolicNote,
  TemplateError,
  TemplateFormat,
  TemplateGrant,
  TemplateKey,
  TemplateLocation,
  TemplatePolicy,
  TemplatePolicyKind,
  TemplateReadOptions,
  TemplateReadResult,
  TemplateSuppression,
} from './types';

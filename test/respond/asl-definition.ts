/** The exposed-key workflow definition as deployed: read from deploy/statemachines, with SAM's substitutions. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from './asl-interpreter';

export const DEFINITION_PATH = join(import.meta.dirname, '../../deploy/statemachines/exposed-key.asl.json');
export const definitionText = readFileSync(DEFINITION_PATH, 'utf8');
export const definition = JSON.parse(definitionText) as StateMachineDefinition & Record<string, unknown>;

/** What SAM's DefinitionSubstitutions do at deploy time: `${IdentifyFunctionArn}` -> the function's ARN. */
export const substituted = (
  arn = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:keywarden-${name}`,
): StateMachineDefinition =>
  JSON.parse(
    definitionText.replace(/\$\{(\w+)FunctionArn\}/g, (_, name: string) => arn(name)),
  ) as StateMachineDefinition;

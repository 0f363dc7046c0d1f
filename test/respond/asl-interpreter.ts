/**
 * A small interpreter for the part of the Amazon States Language the exposed-key workflow uses (Task, Choice, Pass,
 * Fail, Succeed; Retry, Catch; InputPath, ResultPath, OutputPath), since no Step Functions emulator runs here.
 * Task resources are resolved to functions by the caller (the real Lambda handlers). Retry waits are computed and
 * recorded, never slept. Anything outside the subset throws, so a definition that grows beyond it fails its tests.
 */

type Json = unknown;
export type TaskFunction = (input: Json) => Promise<Json>;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

interface StateDefinition {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Result?: Json;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Choices?: ChoiceRule[];
  Default?: string;
  Error?: string;
  Cause?: string;
  [other: string]: unknown;
}

type ChoiceRule = Record<string, unknown> & { Next?: string };

export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
}

export interface HistoryEntry {
  state: string;
  type: string;
  /** Task attempts, 1-based. */
  attempt?: number;
  error?: string;
  /** The wait a Retry would make before the next attempt (not slept). */
  retryInSeconds?: number;
}

export interface Execution {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Json;
  error?: string;
  cause?: string;
  history: HistoryEntry[];
}

const SUPPORTED_FIELDS: Record<string, string[]> = {
  Task: [
    'Type',
    'Comment',
    'Resource',
    'Next',
    'End',
    'InputPath',
    'OutputPath',
    'ResultPath',
    'Retry',
    'Catch',
    'TimeoutSeconds',
  ],
  Choice: ['Type', 'Comment', 'Choices', 'Default', 'InputPath', 'OutputPath'],
  Pass: ['Type', 'Comment', 'Next', 'End', 'Result', 'ResultPath', 'InputPath', 'OutputPath'],
  Fail: ['Type', 'Comment', 'Error', 'Cause'],
  Succeed: ['Type', 'Comment', 'InputPath', 'OutputPath'],
};

const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

const pathSteps = (path: string): string[] => {
  if (path === '$') return [];
  if (!/^\$(\.[A-Za-z_][\w-]*)+$/.test(path)) throw new Error(`unsupported JSONPath ${path}`);
  return path.slice(2).split('.');
};

export const readPath = (value: Json, path: string): { found: boolean; value?: Json } => {
  let current: Json = value;
  for (const step of pathSteps(path)) {
    if (typeof current !== 'object' || current === null || !(step in (current as object))) return { found: false };
    current = (current as Record<string, Json>)[step];
  }
  return { found: true, value: current };
};

const applyInputPath = (input: Json, path: string | null | undefined): Json =>
  path === null ? {} : path === undefined ? input : readPath(input, path).value;

const applyResultPath = (input: Json, result: Json, path: string | null | undefined): Json => {
  if (path === null) return input;
  if (path === undefined || path === '$') return result;
  const steps = pathSteps(path);
  const output = clone((typeof input === 'object' && input !== null ? input : {}) as Record<string, Json>);
  let target = output as Record<string, Json>;
  for (const step of steps.slice(0, -1)) {
    if (typeof target[step] !== 'object' || target[step] === null) target[step] = {};
    target = target[step] as Record<string, Json>;
  }
  target[steps[steps.length - 1] as string] = result;
  return output;
};

const matches = (errorEquals: string[], error: string): boolean =>
  errorEquals.includes(error) ||
  errorEquals.includes('States.ALL') ||
  (error.startsWith('States.') ? false : errorEquals.includes('States.TaskFailed'));

const evaluateRule = (rule: ChoiceRule, input: Json): boolean => {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => evaluateRule(r, input));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => evaluateRule(r, input));
  if (rule.Not) return !evaluateRule(rule.Not as ChoiceRule, input);
  const variable = rule.Variable as string;
  const read = readPath(input, variable);
  if ('IsPresent' in rule) return read.found === rule.IsPresent;
  if ('StringEquals' in rule) return read.value === rule.StringEquals;
  if ('BooleanEquals' in rule) return read.value === rule.BooleanEquals;
  if ('NumericEquals' in rule) return read.value === rule.NumericEquals;
  throw new Error(`unsupported Choice rule ${JSON.stringify(rule)}`);
};

/** The error name Step Functions sees for a thrown error (a Lambda function's errorType). */
const errorNameOf = (error: unknown): string => (error instanceof Error && error.name ? error.name : 'Error');

const causeOf = (error: unknown): string =>
  JSON.stringify({
    errorType: errorNameOf(error),
    errorMessage: error instanceof Error ? error.message : String(error),
  });

export const runStateMachine = async (
  definition: StateMachineDefinition,
  input: Json,
  resolve: (resource: string) => TaskFunction | undefined,
  options: { maxTransitions?: number } = {},
): Promise<Execution> => {
  const history: HistoryEntry[] = [];
  let name = definition.StartAt;
  let data: Json = clone(input);
  for (let transitions = 0; transitions < (options.maxTransitions ?? 100); transitions++) {
    const state = definition.States[name];
    if (!state) throw new Error(`no state named ${name}`);
    const allowed = SUPPORTED_FIELDS[state.Type];
    if (!allowed) throw new Error(`state ${name}: type ${state.Type} is outside the supported subset`);
    const extra = Object.keys(state).filter((field) => !allowed.includes(field));
    if (extra.length > 0) throw new Error(`state ${name}: unsupported field(s) ${extra.join(', ')}`);
    const effective = applyInputPath(data, state.InputPath);
    let output: Json;
    let next = state.Next;
    switch (state.Type) {
      case 'Fail':
        history.push({ state: name, type: 'Fail' });
        return { status: 'FAILED', error: state.Error, cause: state.Cause, history };
      case 'Succeed':
        history.push({ state: name, type: 'Succeed' });
        return { status: 'SUCCEEDED', output: applyInputPath(effective, state.OutputPath), history };
      case 'Pass':
        history.push({ state: name, type: 'Pass' });
        output = applyResultPath(data, 'Result' in state ? clone(state.Result) : effective, state.ResultPath);
        break;
      case 'Choice': {
        history.push({ state: name, type: 'Choice' });
        const chosen = (state.Choices ?? []).find((rule) => evaluateRule(rule, effective));
        next = chosen?.Next ?? state.Default;
        if (!next) return { status: 'FAILED', error: 'States.NoChoiceMatched', history };
        output = data;
        break;
      }
      case 'Task': {
        const task = resolve(state.Resource ?? '');
        if (!task) throw new Error(`state ${name}: no function for resource ${state.Resource}`);
        const attempts = new Map<Retrier, number>();
        let result: { ok: true; value: Json } | { ok: false; error: unknown } | undefined;
        for (let attempt = 1; ; attempt++) {
          try {
            result = { ok: true, value: await task(clone(effective)) };
            history.push({ state: name, type: 'Task', attempt });
            break;
          } catch (error) {
            const errorName = errorNameOf(error);
            const retrier = (state.Retry ?? []).find((r) => matches(r.ErrorEquals, errorName));
            const used = retrier ? (attempts.get(retrier) ?? 0) : 0;
            if (retrier && used < (retrier.MaxAttempts ?? 3)) {
              attempts.set(retrier, used + 1);
              const wait = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** used;
              history.push({ state: name, type: 'Task', attempt, error: errorName, retryInSeconds: wait });
              continue;
            }
            history.push({ state: name, type: 'Task', attempt, error: errorName });
            result = { ok: false, error };
            break;
          }
        }
        if (!result.ok) {
          const errorName = errorNameOf(result.error);
          const catcher = (state.Catch ?? []).find((c) => matches(c.ErrorEquals, errorName));
          if (!catcher) return { status: 'FAILED', error: errorName, cause: causeOf(result.error), history };
          data = applyResultPath(data, { Error: errorName, Cause: causeOf(result.error) }, catcher.ResultPath ?? '$');
          name = catcher.Next;
          continue;
        }
        output = applyResultPath(data, result.value, state.ResultPath);
        break;
      }
      default:
        throw new Error(`state ${name}: type ${state.Type} is outside the supported subset`);
    }
    data = state.OutputPath === undefined ? output : applyInputPath(output, state.OutputPath);
    if (state.End) return { status: 'SUCCEEDED', output: data, history };
    if (!next) throw new Error(`state ${name} has neither Next nor End`);
    name = next;
  }
  throw new Error('the execution did not end within the transition limit');
};

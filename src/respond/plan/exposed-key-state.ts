/**
 * The state of one response as it moves through the steps (identify -> contain -> investigate -> revoke -> notify):
 * the Step Functions execution's JSON and what the CLI prints. Each step adds its part; nothing in it is secret.
 */
import type { InvestigationSummary } from './exposed-key-activity';
import type {
  ActionResult,
  BadEvent,
  ExposedKeyCase,
  IdentifiedKey,
  ResponseMode,
  ResponsePlan,
} from './exposed-key-types';

export const STATE_FORMAT = 'keywarden.exposed-key/v1';

export interface StageOutcome {
  plan: ResponsePlan;
  results: ActionResult[];
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'queued' | 'failed' | 'dry-run';

export interface Delivery {
  /** The channel's non-secret name (`sns:<topic ARN>`...). */
  channel: string;
  outcome: DeliveryOutcome;
  detail: string;
}

export interface NoticeOutcome {
  /** `notice` for the response, `bad-event` and `failure` for the humans-only notices. */
  kind: 'notice' | 'bad-event' | 'failure';
  subject: string;
  deliveries: Delivery[];
}

export interface ExposedKeyState {
  format: typeof STATE_FORMAT;
  mode: ResponseMode;
  /** false: a dry run; nothing is changed and nothing is sent. */
  execute: boolean;
  startedAt: string;
  case?: ExposedKeyCase;
  /** Set instead of `case` when the event cannot be responded to. */
  problem?: BadEvent;
  identified?: IdentifiedKey;
  contain?: StageOutcome;
  investigation?: InvestigationSummary;
  revoke?: StageOutcome;
  notice?: NoticeOutcome;
  /** Set by the workflow's Catch: a step failed after its retries. */
  failure?: { error: string; cause?: string };
}

/** The results of every stage so far, in order. */
export const allResults = (state: ExposedKeyState): ActionResult[] => [
  ...(state.contain?.results ?? []),
  ...(state.revoke?.results ?? []),
];

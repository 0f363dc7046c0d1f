/**
 * The table rendering of every investigation result, plus the flags and what reading found wrong.
 */
import type { ReadReport } from '../read-report';
import type { InvestigationResult } from '../run';
import { renderAccessKey } from './access-key';
import { renderExposures } from './exposures';
import { renderKeyTimeline } from './key';
import { renderOutsiders } from './outsiders';
import { renderRansom } from './ransom';
import { renderFlags, renderReadReport } from './table';

export const renderResult = (outcome: InvestigationResult): string => {
  switch (outcome.investigation) {
    case 'key':
      return renderKeyTimeline(outcome.result);
    case 'exposures':
      return renderExposures(outcome.result);
    case 'outsiders':
      return renderOutsiders(outcome.result);
    case 'access-key':
      return renderAccessKey(outcome.result);
    case 'ransom':
      return renderRansom(outcome.result);
  }
};

export const renderInvestigation = (
  outcome: InvestigationResult,
  context: { source: string; window: string; read: ReadReport },
): string =>
  [
    `keywarden trail ${outcome.investigation} - source ${context.source} - window ${context.window}`,
    '',
    renderResult(outcome),
    '',
    renderFlags(outcome.result.flags),
    '',
    renderReadReport(context.read),
    '',
  ].join('\n');

/** The SARIF 2.1.0 types, taken from node-sarif-builder (the declared dependency) rather than its own dependencies. */
import type { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';

export type SarifLog = ReturnType<SarifBuilder['buildSarifOutput']>;
export type SarifRun = SarifRunBuilder['run'];
export type SarifRule = SarifRuleBuilder['rule'];
export type SarifResult = SarifResultBuilder['result'];
export type SarifLevel = NonNullable<SarifResult['level']>;
export type SarifLocation = NonNullable<SarifResult['locations']>[number];
export type SarifNotification = NonNullable<
  NonNullable<SarifRun['invocations']>[number]['toolExecutionNotifications']
>[number];

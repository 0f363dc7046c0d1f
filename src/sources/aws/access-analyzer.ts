/**
 * Access Analyzer cross-check (issue 4, item 8): the active external-access findings on KMS keys of every
 * analyzer (account or organization) in each account-region, for the engine to compare with its own reach.
 */
import { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsCommand } from '@aws-sdk/client-accessanalyzer';
import type { Gap } from '../../kms/snapshot';
import { cliOutput } from './cli-json';
import { Channel, forEachLimited } from './concurrency';
import { errorCode, errorMessage, explainFailure } from './errors';
import { openScope } from './scope';
import type { AwsScanOptions } from './types';

/** A finding as `aws accessanalyzer list-findings` prints it. */
export interface AccessAnalyzerFinding {
  id: string;
  analyzerArn: string;
  /** The key ARN. */
  resource?: string;
  resourceType?: string;
  principal?: Record<string, string>;
  action?: string[];
  condition?: Record<string, string>;
  isPublic?: boolean;
  status?: string;
  resourceOwnerAccount?: string;
  createdAt?: string;
  analyzedAt?: string;
  updatedAt?: string;
  error?: string;
}

export interface AccessAnalyzerRegion {
  account: string;
  region: string;
  /** ARNs of the active external-access analyzers read; empty = no analyzer here (nothing to compare). */
  analyzers: string[];
  findings: AccessAnalyzerFinding[];
}

const EXTERNAL_ACCESS = new Set(['ACCOUNT', 'ORGANIZATION']);

async function readRegion(
  client: AccessAnalyzerClient,
  account: string,
  region: string,
): Promise<AccessAnalyzerRegion> {
  const analyzers: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListAnalyzersCommand({ ...(nextToken ? { nextToken } : {}) }));
    for (const a of page.analyzers ?? []) {
      if (a.arn && a.status === 'ACTIVE' && EXTERNAL_ACCESS.has(a.type ?? '')) analyzers.push(a.arn);
    }
    nextToken = page.nextToken;
  } while (nextToken);

  const findings: AccessAnalyzerFinding[] = [];
  for (const analyzerArn of analyzers) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListFindingsCommand({
          analyzerArn,
          filter: { resourceType: { eq: ['AWS::KMS::Key'] }, status: { eq: ['ACTIVE'] } },
          ...(token ? { nextToken: token } : {}),
        }),
      );
      for (const finding of page.findings ?? []) {
        findings.push({ ...cliOutput<Omit<AccessAnalyzerFinding, 'analyzerArn'>>(finding), analyzerArn });
      }
      token = page.nextToken;
    } while (token);
  }
  return { account, region, analyzers, findings };
}

/** One AccessAnalyzerRegion per readable account-region; a Gap where the findings could not be read. */
export async function* readAccessAnalyzerFindings(options: AwsScanOptions): AsyncGenerator<AccessAnalyzerRegion | Gap> {
  const channel = new Channel<AccessAnalyzerRegion | Gap>();
  const run = (async () => {
    const scope = await openScope(options, (gap) => channel.push(gap), true);
    if (!scope) return;
    try {
      const units = await scope.accountRegions();
      await forEachLimited(units, 8, async ({ target, region }) => {
        const client = scope.session.client(AccessAnalyzerClient, region, target.credentials);
        try {
          await channel.push(await readRegion(client, target.account, region));
        } catch (err) {
          const reason = explainFailure(
            err,
            'read Access Analyzer findings (access-analyzer:ListAnalyzers, ListFindings)',
            `account ${target.account}, region ${region}`,
            'region',
            'grant access-analyzer:ListAnalyzers and access-analyzer:ListFindings (docs/permissions.md), or run without the Access Analyzer cross-check',
          );
          await channel.push({ gap: true, account: target.account, region, reason });
        }
      });
    } finally {
      scope.session.destroy();
    }
  })()
    .catch((err) =>
      channel.push({ gap: true, reason: `the Access Analyzer read stopped: ${errorCode(err)}: ${errorMessage(err)}` }),
    )
    .finally(() => channel.close());
  try {
    yield* channel;
  } finally {
    await run;
  }
}

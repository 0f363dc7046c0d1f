/**
 * The SDK clients of one scan. The SDK's own settings win: we never set maxAttempts, retryMode or endpoint, so
 * AWS_ENDPOINT_URL(_<SERVICE>), AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's max_attempts / retry_mode /
 * endpoint_url apply as they do for the AWS CLI.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsScanOptions } from './types';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialsProvider = () => Promise<Credentials>;

interface Destroyable {
  destroy(): void;
}
type ClientClass<C> = new (config: Record<string, unknown>) => C;

export class AwsSession {
  private readonly clients: Destroyable[] = [];

  constructor(
    readonly profile: string | undefined,
    /** The region of the profile or environment, when one is configured. */
    readonly configuredRegion: string | undefined,
    /** Region for the global and discovery calls (STS, IAM, Organizations, Account). */
    readonly homeRegion: string,
    readonly baseCredentials: CredentialsProvider,
    private readonly clientConfig: Record<string, unknown>,
  ) {}

  /** A client for one region with the given credentials (the caller's own by default). */
  client<C extends Destroyable>(Client: ClientClass<C>, region: string, credentials?: CredentialsProvider): C {
    const config: Record<string, unknown> = { ...this.clientConfig, region };
    if (this.profile !== undefined) config.profile = this.profile;
    config.credentials = credentials ?? this.baseCredentials;
    const client = new Client(config);
    this.clients.push(client);
    return client;
  }

  /** Closes the sockets of every client this session made. */
  destroy(): void {
    for (const client of this.clients.splice(0)) client.destroy();
  }
}

/** Reads the region the profile or environment configures, without sending anything. */
async function configuredRegionOf(profile: string | undefined, clientConfig: Record<string, unknown>) {
  const probe = new STSClient({ ...clientConfig, ...(profile !== undefined ? { profile } : {}) });
  try {
    const region = await probe.config.region();
    return region === '' ? undefined : region;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

export async function openSession(options: AwsScanOptions): Promise<AwsSession> {
  const clientConfig = { ...(options.clientConfig ?? {}) } as Record<string, unknown>;
  const configuredRegion = await configuredRegionOf(options.profile, clientConfig);
  const explicit = Array.isArray(options.regions) ? options.regions[0] : undefined;
  const homeRegion = configuredRegion ?? explicit ?? 'us-east-1';
  const baseCredentials =
    (clientConfig.credentials as CredentialsProvider | undefined) ??
    (fromNodeProviderChain({
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      clientConfig: { region: homeRegion },
    }) as CredentialsProvider);
  return new AwsSession(options.profile, configuredRegion, homeRegion, baseCredentials, clientConfig);
}

export interface CallerIdentity {
  account: string;
  arn: string;
  partition: string;
}

export async function callerIdentity(session: AwsSession): Promise<CallerIdentity> {
  const sts = session.client(STSClient, session.homeRegion);
  const out = await sts.send(new GetCallerIdentityCommand({}));
  const arn = out.Arn ?? '';
  return { account: out.Account ?? '', arn, partition: arn.split(':')[1] || 'aws' };
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials of a role in another account, assumed with STS when first needed and again shortly before they
 * expire, so a long scan keeps going. The first call tells whether the role can be assumed at all.
 */
export function assumedRoleCredentials(
  session: AwsSession,
  roleArn: string,
  externalId: string | undefined,
): CredentialsProvider {
  const sts = session.client(STSClient, session.homeRegion);
  let cached: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  const fresh = (c: Credentials | undefined): c is Credentials =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS);
  return async () => {
    if (fresh(cached)) return cached;
    pending ??= (async () => {
      await Promise.resolve(); // let `pending` be assigned before the body runs
      try {
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'keywarden-scan',
            ...(externalId !== undefined ? { ExternalId: externalId } : {}),
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
        cached = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken !== undefined ? { sessionToken: c.SessionToken } : {}),
          ...(c.Expiration !== undefined ? { expiration: c.Expiration } : {}),
        };
        return cached;
      } finally {
        pending = undefined; // settled: a failed attempt is tried again on the next call
      }
    })();
    return pending;
  };
}

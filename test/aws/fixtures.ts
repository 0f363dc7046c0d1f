/** Test helpers: API response fixtures (real AWS shapes) revived as the SDK returns them, and SDK-shaped errors. */
import { readFileSync } from 'node:fs';

/** Members the AWS APIs type as timestamps: the SDK hands them out as Date objects. */
const TIMESTAMPS = new Set([
  'CreationDate',
  'DeletionDate',
  'ValidTo',
  'LastUpdatedDate',
  'NextRotationDate',
  'JoinedTimestamp',
  'Expiration',
  'CreateDate',
  'UpdateDate',
  'createdAt',
  'updatedAt',
  'analyzedAt',
  'lastResourceAnalyzedAt',
]);

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
}

/** A fixture as the SDK returns it (timestamps as Date); `rewrite` edits the JSON text first. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary AWS response shapes
export function fixture<T = any>(name: string, rewrite: (text: string) => string = (t) => t): T {
  return JSON.parse(rewrite(fixtureText(name)), (member, value) =>
    TIMESTAMPS.has(member) && typeof value === 'string' ? new Date(value) : value,
  ) as T;
}

// Modeled exception classes (KMSInvalidStateException...) take their options without `name`; base ones with it.
// biome-ignore lint/suspicious/noExplicitAny: constructor options differ per SDK exception class
type ServiceExceptionClass<E> = new (options: any) => E;

/** An error as the SDK raises it for `code`, with the message and status of fixtures/errors.json. */
export function serviceError<E>(Exception: ServiceExceptionClass<E>, code: string): E {
  const known = fixture<Record<string, { status: number; message: string }>>('errors')[code];
  if (!known) throw new Error(`no error fixture for ${code}`);
  return new Exception({
    name: code,
    $fault: known.status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: known.status, requestId: '00000000-0000-4000-8000-000000000000' },
    message: known.message,
  });
}

/** Sets environment variables for one test and returns a function that restores them. */
export function withEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (vars: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(vars)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

/** Environment of a test: static example credentials, no shared files, no instance metadata, no endpoints. */
export const TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_REGION: 'us-west-2',
  AWS_DEFAULT_REGION: undefined,
  AWS_CONFIG_FILE: '/nonexistent/keywarden-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/keywarden-test/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_KMS: undefined,
  AWS_ENDPOINT_URL_STS: undefined,
  AWS_MAX_ATTEMPTS: undefined,
  AWS_RETRY_MODE: undefined,
};

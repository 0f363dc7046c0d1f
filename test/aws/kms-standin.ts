/**
 * A small AWS KMS wire-protocol stand-in on 127.0.0.1 for tests and the benchmark: JSON 1.1 requests with
 * `X-Amz-Target: TrentService.<Operation>`, real error responses (`ThrottlingException` 400, `KMSInternalException`
 * 500, ...), token buckets per operation and region, and a fixed latency. It also answers STS GetCallerIdentity
 * (query protocol), the one call the collector makes before KMS. The region is read from the SigV4 scope.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeKey, type StandinKey, seededRandom } from './standin-data';

export type Fault = 'throttle' | 'server-error' | 'access-denied' | undefined;

export interface StandinOptions {
  account?: string;
  /** Region name -> number of keys. */
  regions: Record<string, number>;
  latencyMs?: number;
  /** Requests per second per operation per region; above it the stand-in answers ThrottlingException. */
  quotas?: Partial<Record<string, number>>;
  throttleRate?: number;
  serverErrorRate?: number;
  /** Operations the random faults apply to (default: all). */
  faultOperations?: string[];
  seed?: number;
  /** A fault for one request, decided by the test (checked before the random faults). */
  fault?: (operation: string, request: Record<string, unknown>, region: string) => Fault;
}

export interface Standin {
  endpoint: string;
  account: string;
  /** Requests received per operation, faults included. */
  requests: Record<string, number>;
  /** Requests received per `operation key-id`. */
  attempts: Map<string, number>;
  /** Fault responses sent, by error code. */
  faults: { ThrottlingException: number; KMSInternalException: number };
  keys(region: string): StandinKey[];
  stop(): Promise<void>;
}

class Bucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst = Math.max(1, rate / 10),
  ) {
    this.tokens = this.burst;
  }
  tryTake(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

class ApiFailure {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

function page<T>(items: T[], request: Record<string, unknown>, defaultLimit: number, name: string) {
  const limit = Math.min(Number(request.Limit ?? defaultLimit), 1000);
  const start = request.Marker ? Number(Buffer.from(String(request.Marker), 'base64').toString()) : 0;
  const end = start + limit;
  const truncated = end < items.length;
  return {
    [name]: items.slice(start, end),
    Truncated: truncated,
    ...(truncated ? { NextMarker: Buffer.from(String(end)).toString('base64') } : {}),
  };
}

const regionOf = (req: IncomingMessage) =>
  /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];

export async function startKmsStandin(options: StandinOptions): Promise<Standin> {
  const account = options.account ?? '111122223333';
  const random = seededRandom(options.seed ?? 1);
  const data = new Map<string, { list: StandinKey[]; byId: Map<string, StandinKey> }>();
  Object.entries(options.regions).forEach(([region, count], regionIndex) => {
    const list = Array.from({ length: count }, (_, i) => makeKey(account, region, regionIndex, i));
    const byId = new Map<string, StandinKey>();
    for (const key of list) {
      byId.set(key.metadata.KeyId as string, key);
      byId.set(key.metadata.Arn as string, key);
    }
    data.set(region, { list, byId });
  });
  const buckets = new Map<string, Bucket>();
  const requests: Record<string, number> = {};
  const attempts = new Map<string, number>();
  const faults = { ThrottlingException: 0, KMSInternalException: 0 };

  const keyOf = (region: string, request: Record<string, unknown>) => {
    const key = data.get(region)?.byId.get(String(request.KeyId));
    if (!key) throw new ApiFailure(400, 'NotFoundException', `Key '${String(request.KeyId)}' does not exist`);
    return key;
  };

  const operations: Record<string, (region: string, request: Record<string, unknown>) => unknown> = {
    ListKeys: (region, request) =>
      page(
        (data.get(region)?.list ?? []).map((k) => ({ KeyId: k.metadata.KeyId, KeyArn: k.metadata.Arn })),
        request,
        100,
        'Keys',
      ),
    ListAliases: (region, request) =>
      page(
        (data.get(region)?.list ?? []).flatMap((k) =>
          k.aliases.map((AliasName) => ({
            AliasName,
            AliasArn: `arn:aws:kms:${region}:${account}:${AliasName}`,
            TargetKeyId: k.metadata.KeyId,
            CreationDate: 1566518783.394,
            LastUpdatedDate: 1566518783.394,
          })),
        ),
        request,
        50,
        'Aliases',
      ),
    DescribeKey: (region, request) => ({ KeyMetadata: keyOf(region, request).metadata }),
    GetKeyPolicy: (region, request) => ({ Policy: keyOf(region, request).policy, PolicyName: 'default' }),
    ListGrants: (region, request) => page(keyOf(region, request).grants, request, 50, 'Grants'),
    ListResourceTags: (region, request) => page(keyOf(region, request).tags, request, 50, 'Tags'),
    GetKeyRotationStatus: (region, request) => {
      const { metadata, rotation } = keyOf(region, request);
      if (metadata.KeySpec !== 'SYMMETRIC_DEFAULT' || metadata.Origin !== 'AWS_KMS') {
        throw new ApiFailure(
          400,
          'UnsupportedOperationException',
          `${metadata.Arn} key type does not support rotation.`,
        );
      }
      if (metadata.KeyState === 'PendingDeletion') {
        throw new ApiFailure(400, 'KMSInvalidStateException', `${metadata.Arn} is pending deletion.`);
      }
      return { KeyId: metadata.Arn, KeyRotationEnabled: rotation, ...(rotation ? { RotationPeriodInDays: 365 } : {}) };
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown, type?: string) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
      ...(type ? { 'x-amzn-ErrorType': type } : {}),
    });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const region = regionOf(req) ?? 'us-east-1';
    if (body.includes('Action=GetCallerIdentity')) {
      requests.GetCallerIdentity = (requests.GetCallerIdentity ?? 0) + 1;
      const xml = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/scanner</Arn><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
      res.end(xml);
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? '').replace('TrentService.', '');
    requests[operation] = (requests[operation] ?? 0) + 1;
    const request = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const attemptKey = `${operation} ${String(request.KeyId ?? '')}`;
    attempts.set(attemptKey, (attempts.get(attemptKey) ?? 0) + 1);
    const handler = operations[operation];
    if (!handler) return answer(res, 400, { __type: 'UnknownOperationException' }, 'UnknownOperationException');
    const fault = options.fault?.(operation, request, region);
    if (fault === 'access-denied') {
      const message = `User: arn:aws:iam::${account}:user/scanner is not authorized to perform: kms:${operation} on resource: ${String(request.KeyId ?? '*')} because no identity-based policy allows the kms:${operation} action`;
      return answer(res, 400, { __type: 'AccessDeniedException', message }, 'AccessDeniedException');
    }
    const rate = options.quotas?.[operation];
    const bucketName = `${region} ${operation}`;
    if (rate !== undefined && !buckets.has(bucketName)) buckets.set(bucketName, new Bucket(rate));
    const randomFaults = !options.faultOperations || options.faultOperations.includes(operation);
    const throttled =
      fault === 'throttle' ||
      (rate !== undefined && !buckets.get(bucketName)?.tryTake()) ||
      (randomFaults && random() < (options.throttleRate ?? 0));
    if (throttled) {
      faults.ThrottlingException += 1;
      return answer(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
    }
    if (fault === 'server-error' || (randomFaults && random() < (options.serverErrorRate ?? 0))) {
      faults.KMSInternalException += 1;
      const body = { __type: 'KMSInternalException', message: 'An internal error occurred.' };
      return answer(res, 500, body, 'KMSInternalException');
    }
    try {
      answer(res, 200, handler(region, request));
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      answer(res, err.status, { __type: err.type, message: err.message }, err.type);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      setTimeout(() => handle(req, res, body), options.latencyMs ?? 0);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    account,
    requests,
    attempts,
    faults,
    keys: (region) => data.get(region)?.list ?? [],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

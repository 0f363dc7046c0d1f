/**
 * Footholds: the IAM users, access keys and console passwords an exposed key (or the credentials it minted)
 * created, so a human can remove them. Only names and ids are read; a CreateAccessKey response's secret (CloudTrail
 * omits it, but a copied log might not) and a login profile's password are never copied.
 */
import type { CloudTrailEvent } from '../../trail/detect/event';
import { callerArn, isFailed } from '../../trail/detect/fields';

export interface Foothold {
  kind: 'user' | 'access-key' | 'login-profile';
  /** The user name, or the access key id for `access-key`. */
  name: string;
  /** The user the access key or login profile belongs to. */
  userName?: string;
  eventName: string;
  time: string;
  caller: string;
  /** The access key that made the call. */
  by?: string;
  eventID?: string;
}

const FOOTHOLD_CALLS = new Set(['CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile']);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const footholdOf = (event: CloudTrailEvent): Foothold | undefined => {
  if (event.eventSource !== 'iam.amazonaws.com' || !FOOTHOLD_CALLS.has(event.eventName) || isFailed(event)) {
    return undefined;
  }
  const request = event.requestParameters ?? {};
  const base = {
    eventName: event.eventName,
    time: event.eventTime,
    caller: callerArn(event),
    ...(event.userIdentity?.accessKeyId ? { by: event.userIdentity.accessKeyId } : {}),
    ...(event.eventID ? { eventID: event.eventID } : {}),
  };
  switch (event.eventName) {
    case 'CreateUser': {
      const name = str(request.userName) ?? str(obj(event.responseElements?.user)?.userName);
      return name ? { kind: 'user', name, ...base } : undefined;
    }
    case 'CreateAccessKey': {
      const created = obj(event.responseElements?.accessKey);
      const id = str(created?.accessKeyId);
      const userName = str(request.userName) ?? str(created?.userName) ?? event.userIdentity?.userName ?? undefined;
      return id ? { kind: 'access-key', name: id, ...(userName ? { userName } : {}), ...base } : undefined;
    }
    default: {
      const userName = str(request.userName) ?? event.userIdentity?.userName ?? undefined;
      return userName ? { kind: 'login-profile', name: userName, userName, ...base } : undefined;
    }
  }
};

/** Collects footholds from any events, then keeps those made with the given access keys. */
export const footholdCollector = () => {
  const seen = new Map<string, Foothold>();
  return {
    add(event: CloudTrailEvent): void {
      const foothold = footholdOf(event);
      if (!foothold) return;
      seen.set(event.eventID ?? `${foothold.time}/${foothold.eventName}/${foothold.name}`, foothold);
    },
    /** Footholds made with these access keys (the exposed key and the temporary keys it minted), oldest first. */
    madeWith(accessKeyIds: readonly string[]): Foothold[] {
      const ids = new Set(accessKeyIds);
      return [...seen.values()]
        .filter((f) => f.by !== undefined && ids.has(f.by))
        .sort((a, b) => a.time.localeCompare(b.time) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    },
  };
};

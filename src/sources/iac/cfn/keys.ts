/** AWS::KMS::Key and AWS::KMS::ReplicaKey resources, with their aliases and suppressions. */
import type { KeyResourceType, TemplateKey } from '../types';
import { booleanOf, NO_VALUE, numberOf, stringOf } from '../values';
import { resolveLocated, templateLocation } from './located';
import { suppressionsOf } from './metadata';
import { type CfnRead, isCreated, propertyPointer, referencedId } from './read-context';
import type { CfnResource } from './template';

const KEY_TYPES = new Set<string>(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

export function readKeys(read: CfnRead): TemplateKey[] {
  const aliases = aliasesByKey(read);
  const keys: TemplateKey[] = [];
  for (const resource of read.template.resources.values()) {
    if (!KEY_TYPES.has(resource.type) || !isCreated(read, resource)) continue;
    keys.push(readKey(read, resource, aliases.get(resource.id) ?? []));
  }
  return keys;
}

function readKey(read: CfnRead, resource: CfnResource, aliases: string[]): TemplateKey {
  const { file, positions, resolver, log } = read;
  const property = (name: string): unknown => {
    const raw = resource.properties[name];
    if (raw === undefined) return undefined;
    const value = resolver.resolve(raw, propertyPointer(resource, name));
    return value === NO_VALUE ? undefined : value;
  };
  const rawPolicy = resource.properties.KeyPolicy;
  const policy =
    rawPolicy === undefined
      ? undefined
      : resolveLocated(resolver, rawPolicy, propertyPointer(resource, 'KeyPolicy'), file, positions);
  const { suppressions, peerSuppressions } = suppressionsOf(resource.metadata, resource.pointer, log);
  const key: TemplateKey = {
    file,
    logicalId: resource.id,
    resourceType: resource.type as KeyResourceType,
    policy: policy?.value,
    ...(policy?.location ? { policyLocation: policy.location } : {}),
    locatePolicy: (pointer) => policy?.locate(pointer),
    location: templateLocation(file, positions, resource.pointer),
    aliases,
    suppressions,
    peerSuppressions,
  };
  const rotation = booleanOf(property('EnableKeyRotation'));
  if (rotation !== undefined) key.enableKeyRotation = rotation;
  const enabled = booleanOf(property('Enabled'));
  if (enabled !== undefined) key.enabled = enabled;
  const multiRegion = booleanOf(property('MultiRegion'));
  if (multiRegion !== undefined) key.multiRegion = multiRegion;
  const keySpec = stringOf(property('KeySpec'));
  if (keySpec !== undefined) key.keySpec = keySpec;
  const keyUsage = stringOf(property('KeyUsage'));
  if (keyUsage !== undefined) key.keyUsage = keyUsage;
  const pendingWindow = numberOf(property('PendingWindowInDays'));
  if (pendingWindow !== undefined) key.pendingWindowInDays = pendingWindow;
  return key;
}

/** AWS::KMS::Alias resources by the logical id of the key their TargetKeyId refers to. */
function aliasesByKey(read: CfnRead): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const resource of read.template.resources.values()) {
    if (resource.type !== 'AWS::KMS::Alias') continue;
    const target = referencedId(resource.properties.TargetKeyId);
    if (!target || !read.template.resources.has(target)) continue;
    const name = read.resolver.resolve(resource.properties.AliasName, propertyPointer(resource, 'AliasName'));
    if (typeof name !== 'string') continue;
    byKey.set(target, [...(byKey.get(target) ?? []), name]);
  }
  return byKey;
}

/** A resolved value that still knows where each of its parts is written in the template. */
import { nearest } from '../pointer';
import type { PositionMap } from '../positions';
import type { TemplateLocation } from '../types';
import type { Trail, ValueResolver } from './context';

export interface Located {
  value: unknown;
  location?: TemplateLocation;
  locate(pointer: string): TemplateLocation | undefined;
}

export function templateLocation(file: string, positions: PositionMap, pointer: string): TemplateLocation {
  const found = positions.nearest(pointer);
  return { file, pointer, ...(found ? { line: found.position.line, column: found.position.column } : {}) };
}

/** Resolves `raw` (found at template pointer `src`); a JSON string is parsed first (a policy written as text). */
export function resolveLocated(
  resolver: ValueResolver,
  raw: unknown,
  src: string,
  file: string,
  positions: PositionMap,
): Located {
  let input = raw;
  if (typeof raw === 'string' && raw.trim().startsWith('{')) {
    try {
      input = JSON.parse(raw);
    } catch {
      resolver.ctx.log.error(src, 'the policy is a string that is not valid JSON: write it as a YAML/JSON object');
    }
  }
  const trail: Trail = new Map();
  const value = resolver.resolve(input, src, trail, '');
  return {
    value,
    location: templateLocation(file, positions, src),
    locate: (pointer) => templateLocation(file, positions, nearest(pointer, (p) => trail.get(p)) ?? src),
  };
}

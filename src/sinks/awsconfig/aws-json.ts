/** SDK outputs as the AWS CLI prints them (dates as ISO strings, no $metadata), and SDK errors as `{error}`. */
import type { ApiError } from '../../kms/snapshot-format';

export function cliJson<T>(value: unknown): T {
  const convert = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(convert);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k, x]) => k !== '$metadata' && x !== undefined)
          .map(([k, x]) => [k, convert(x)]),
      );
    return v;
  };
  return convert(value) as T;
}

export const errorCode = (error: unknown): string =>
  (error as { name?: string })?.name ?? (error as { code?: string })?.code ?? 'Error';

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const apiError = (error: unknown): ApiError => ({
  error: { code: errorCode(error), message: errorMessage(error) },
});

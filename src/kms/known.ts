/** A value we read, or the reason we could not. AccessDenied is data, never a silent pass. */
export type Known<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Data the input cannot carry (grants in a bare policy, rotation in a template): not applicable, not unknown. */
export const NOT_CARRIED = 'not carried by this input';

export const known = <T>(value: T): Known<T> => ({ ok: true, value });
export const unknown = <T>(reason: string): Known<T> => ({ ok: false, reason });
export const isNotCarried = (k: Known<unknown>): boolean => !k.ok && k.reason === NOT_CARRIED;

/** A store operation that failed, with a message a user can act on: what failed, where, and how to fix it. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    message: string,
    readonly where: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

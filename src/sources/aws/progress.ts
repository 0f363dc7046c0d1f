import type { ProgressEvent, ScanPhase } from './types';

/** Progress of one account-region; key events are sent at most every `intervalMs`, phase changes always. */
export class RegionProgress {
  private keysDone = 0;
  private keysTotal?: number;
  private errors = 0;
  private phase: ScanPhase = 'listing';
  private readonly started: number;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    readonly account: string,
    readonly region: string,
    private readonly onProgress: ((event: ProgressEvent) => void) | undefined,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  private send(message?: string): void {
    if (!this.onProgress) return;
    this.lastSent = this.now();
    const seconds = Math.max((this.lastSent - this.started) / 1000, 0.001);
    const event: ProgressEvent = {
      account: this.account,
      region: this.region,
      phase: this.phase,
      keysDone: this.keysDone,
      errors: this.errors,
      rate: this.keysDone / seconds,
    };
    if (this.keysTotal !== undefined) event.keysTotal = this.keysTotal;
    if (message !== undefined) event.message = message;
    try {
      this.onProgress(event);
    } catch {
      // A broken progress display must never stop a scan.
    }
  }

  listing(): void {
    this.phase = 'listing';
    this.send();
  }

  collecting(total: number): void {
    this.phase = 'collecting';
    this.keysTotal = total;
    this.send();
  }

  keyDone(withErrors: boolean): void {
    this.keysDone += 1;
    if (withErrors) this.errors += 1;
    if (this.now() - this.lastSent >= this.intervalMs) this.send();
  }

  done(): void {
    this.phase = 'done';
    this.send();
  }

  failed(message: string): void {
    this.phase = 'failed';
    this.send(message);
  }
}

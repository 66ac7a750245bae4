/** Cancels every open task, merges `state` into the state and starts `next`. Pure. */
export interface OverrideArgs {
  readonly state?: Record<string, unknown>;
  readonly next: readonly string[];
  readonly user?: string | null;
}

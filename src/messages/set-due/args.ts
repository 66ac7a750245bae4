/** A permitted person moves an open human task's due date, or takes it away (null). Pure. */
export interface SetDueArgs {
  readonly taskId: string;
  readonly user?: string | null;
  /** An ISO 8601 time with its offset ("2026-12-24T17:00:00Z"), or null for no due date. */
  readonly due: string | null;
}

/**
 * What changed, for live pages: the instances written since a transaction horizon, read without
 * trusting any clock. A horizon is PostgreSQL's `pg_snapshot_xmin` of the reading statement: every
 * transaction that had not committed then has an id at or above it, so "rows whose `changed` is at or
 * above the last horizon" holds every write the last read could not see (and some it did see, which
 * the caller tells apart by their `changed`). Ids are xid8 (64-bit, no wraparound), as decimal text.
 */
import { sql } from "kysely";
import { InvalidData } from "../errors.ts";
import type { Reader } from "./db.ts";

export interface InstanceChange {
  readonly id: string;
  /** The transaction that wrote the instance's row last: a new value is a new change. */
  readonly changed: string;
}

export interface Changes {
  /** Pass it back as `since` to hear of every write not seen in this answer. */
  readonly horizon: string;
  readonly instances: readonly InstanceChange[];
  /** More instances changed than one answer holds: take it as "anything may have changed". */
  readonly overflow: boolean;
}

/** At most this many instances per answer; more is an overflow. */
export const MAX_CHANGES = 5_000;
const XID = /^\d{1,20}$/;

/**
 * The instances changed since a horizon, and the next horizon, read in one statement (one snapshot).
 * Without `since`, only the horizon: where to start listening from.
 */
export async function changesSince(db: Reader, since: string | null): Promise<Changes> {
  if (since !== null && !XID.test(since)) {
    throw new InvalidData([{ path: ["since"], message: "is not a horizon a change list gave" }]);
  }
  const { rows } = await sql<{ horizon: string; id: string | null; changed: string | null }>`
    with h as (select pg_snapshot_xmin(pg_current_snapshot()) as horizon)
    select h.horizon::text as horizon, w.id, w.changed::text as changed
    from h left join lateral (
      select id, changed from joeflow_workflow
      where ${since !== null} and changed >= ${since ?? "0"}::xid8
      order by changed limit ${MAX_CHANGES + 1}
    ) w on true`.execute(db);
  const horizon = rows[0]?.horizon ?? "0";
  const instances = rows.flatMap((r) => (r.id && r.changed ? [{ id: r.id, changed: r.changed }] : []));
  return { horizon, instances: instances.slice(0, MAX_CHANGES), overflow: instances.length > MAX_CHANGES };
}

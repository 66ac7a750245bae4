/**
 * The inbox: open human tasks, newest first, filtered by who may do them (a scope), workflow, task and
 * a search over the instances' titles, with the count of every scope under the same other filters.
 */
import { type RawBuilder, sql } from "kysely";
import { InvalidData } from "../errors.ts";
import type { Reader } from "./db.ts";
import { afterCursor, checkFilters, page, pageSize } from "./paging.ts";
import { tasksWithWorkflowName, taskSummary } from "./rows.ts";
import type { InboxOptions, InboxPage, InboxScope } from "./views.ts";

/**
 * mine: claimed by the user, or assigned to them directly and claimed by nobody; groups: claimed by
 * nobody and offered to one of the user's groups; unassigned: no assignee, no group, no claim; overdue:
 * past their due date, whoever has them; all: every one.
 */
export const INBOX_SCOPES = ["mine", "groups", "unassigned", "overdue", "all"] as const satisfies readonly InboxScope[];

/** Searches longer than this are no title's part: refused rather than scanned for. */
const SEARCH_MAX = 200;

export async function listInbox(db: Reader, options: InboxOptions): Promise<InboxPage> {
  const limit = pageSize(options.limit);
  const scope = options.scope ?? "all";
  if (!(INBOX_SCOPES as readonly string[]).includes(scope)) {
    throw new InvalidData([{ path: ["scope"], message: `must be one of ${INBOX_SCOPES.join(", ")}` }]);
  }
  const filters = inboxFilters(options);
  const rows = await tasksWithWorkflowName(db)
    .where(filters)
    .where(scopeCondition(scope, options))
    .where(afterCursor("t", options.cursor))
    .orderBy("t.created", "desc")
    .orderBy("t.id", "desc")
    .limit(limit + 1)
    .execute();
  const counts = await countScopes(db, filters, options);
  return { ...page(rows.slice(0, limit).map(taskSummary), rows.length > limit), counts };
}

/**
 * Every scope's count in one pass over the tasks the other filters leave (from the inbox index: the task
 * row holds its workflow's name and whether anybody is named for it), each scope a FILTER of the same
 * aggregate; the user's assignments and groups are hashed once. Only a search reads the instances, for
 * their titles.
 */
async function countScopes(db: Reader, filters: RawBuilder<boolean>, options: InboxOptions) {
  const count = (scope: InboxScope) =>
    sql`count(*) filter (where ${scopeCondition(scope, options)}) as ${sql.id(scope)}`;
  const titles = options.search?.trim() ? sql`join joeflow_workflow w on w.id = t.workflow_id` : sql``;
  const { rows } = await sql<Record<InboxScope, string>>`select ${sql.join(INBOX_SCOPES.map(count))}
    from joeflow_task t ${titles} where ${filters}`.execute(db);
  return Object.fromEntries(INBOX_SCOPES.map((scope) => [scope, Number(rows[0]![scope])])) as Record<
    InboxScope,
    number
  >;
}

/** Open human tasks of the workflows the viewer may see, of this workflow and task, whose title has the search. */
function inboxFilters(options: InboxOptions): RawBuilder<boolean> {
  const { workflows, workflow, task, search } = options;
  checkFilters({ workflow, task, search, user: options.user ?? undefined, ...listed("workflows", workflows) });
  checkFilters(listed("groups", options.groups));
  if (search !== undefined && search.length > SEARCH_MAX) {
    throw new InvalidData([{ path: ["search"], message: `is longer than ${SEARCH_MAX} characters` }]);
  }
  const parts: RawBuilder<boolean>[] = [sql`t.status = 'scheduled'`, sql`t.type = 'human'`];
  if (workflows) parts.push(workflows.length ? sql`t.workflow_name in (${sql.join(workflows)})` : sql`false`);
  if (workflow) parts.push(sql`t.workflow_name = ${workflow}`);
  if (task) parts.push(sql`t.name = ${task}`);
  // A substring in any case: ILIKE, with LIKE's own characters taken literally.
  if (search?.trim()) parts.push(sql`w.title ilike ${`%${search.trim().replace(/[\\%_]/g, "\\$&")}%`}`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

function scopeCondition(scope: InboxScope, options: InboxOptions): RawBuilder<boolean> {
  const { user } = options;
  const groups = options.groups ?? [];
  // Uses only t.id, t.claimed_by, t.offered, t.due and t.escalated, which the inbox index holds. IN
  // rather than EXISTS under an OR: PostgreSQL hashes the user's few rows once instead of probing per task.
  switch (scope) {
    case "mine":
      if (user === null) return sql<boolean>`false`;
      return sql<boolean>`(t.claimed_by = ${user} or (t.claimed_by is null and t.offered and t.id in
        (select a.task_id from joeflow_task_assignee a where a.user_id = ${user})))`;
    case "groups":
      if (groups.length === 0) return sql<boolean>`false`;
      return sql<boolean>`(t.claimed_by is null and t.offered and t.id in
        (select g.task_id from joeflow_task_group g where g.group_id in (${sql.join(groups)})))`;
    case "unassigned":
      return sql<boolean>`(t.claimed_by is null and not t.offered)`;
    case "overdue":
      // Past due by the database's clock, or found so by the interpreter's (a test's may run ahead).
      return sql<boolean>`(t.escalated is not null or t.due <= now())`;
    case "all":
      return sql<boolean>`true`;
  }
}

/** A list's items as filters to check: `{ "groups.0": "ops", ... }`. */
function listed(key: string, values: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries((values ?? []).map((value, i) => [`${key}.${i}`, value]));
}

import type { Kysely } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";
import * as initial from "./migrations/2026-11-27-initial.ts";
import * as messages from "./migrations/2026-12-01-messages.ts";
import * as taskList from "./migrations/2026-12-02-task-list.ts";
import * as liveChanges from "./migrations/2026-12-03-live-changes.ts";
import * as events from "./migrations/2026-12-04-events.ts";
import * as inboxColumns from "./migrations/2026-12-04-inbox-columns.ts";
import * as dueDates from "./migrations/2026-12-05-due-dates.ts";
import * as subflows from "./migrations/2026-12-06-subflows.ts";

const MIGRATIONS: Record<string, Migration> = {
  "2026-11-27-initial": initial,
  "2026-12-01-messages": messages,
  "2026-12-02-task-list": taskList,
  "2026-12-03-live-changes": liveChanges,
  "2026-12-04-events": events,
  "2026-12-04-inbox-columns": inboxColumns,
  "2026-12-05-due-dates": dueDates,
  "2026-12-06-subflows": subflows,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

export interface MigrateOptions {
  /**
   * How long to wait for a database that cannot be reached yet (starting, restarting, failing over)
   * before giving up; default 60 s. Each wait is reported once through `onWait`.
   */
  readonly waitMs?: number;
  readonly onWait?: (cause: string) => void;
}

/**
 * Creates or updates joeflow's tables; safe to call at every start (several processes may: the
 * migrator locks). Waits for a database that is not reachable yet, saying why; a migration that fails
 * is an error naming the migration and the cause.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, options: MigrateOptions = {}): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "joeflow_migration",
    migrationLockTableName: "joeflow_migration_lock",
  });
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  const onWait = options.onWait ?? ((cause) => console.warn(`joeflow: waiting for the database: ${cause}`));
  let told = "";
  for (let pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const cause = error instanceof Error ? error.message : String(error);
    if (failed) throw new Error(`joeflow migration ${failed} failed: ${cause}`, { cause: error });
    if (!unreachable(error) || Date.now() + pause > deadline) {
      throw new Error(`joeflow could not reach the database to migrate it: ${cause}`, { cause: error });
    }
    if (cause !== told) onWait(cause);
    told = cause;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Errors of a database that is not there (yet): refused or lost connections, a server starting up. */
function unreachable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const message = error instanceof Error ? error.message : "";
  return (
    ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "57P01", "57P02", "57P03"].includes(code) ||
    code.startsWith("08") ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message)
  );
}

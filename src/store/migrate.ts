import type { Kysely } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";
import * as initial from "./migrations/2026-11-27-initial.ts";
import * as messages from "./migrations/2026-12-01-messages.ts";

const MIGRATIONS: Record<string, Migration> = {
  "2026-11-27-initial": initial,
  "2026-12-01-messages": messages,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

/** Creates or updates joeflow's tables; safe to call at every start. Its bookkeeping is its own. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "joeflow_migration",
    migrationLockTableName: "joeflow_migration_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`joeflow migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}

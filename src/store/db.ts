import type { Kysely, Transaction } from "kysely";
import type { JoeflowDatabase } from "./schema.ts";

/** joeflow's view of the user's database: only its own tables. */
export type Db = Kysely<JoeflowDatabase>;
export type Tx = Transaction<JoeflowDatabase>;
/** A read may run inside a transaction or on its own. */
export type Reader = Db | Tx;

/** The user's Kysely, seen through joeflow's tables: `withTables` only widens the type. */
export function joeflowDb<DB>(db: Kysely<DB>): Db {
  return db.withTables<JoeflowDatabase>() as unknown as Db;
}

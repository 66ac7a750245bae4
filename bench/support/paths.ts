import { fileURLToPath } from "node:url";

/** The project's root folder, with a trailing slash (profiles print file names relative to it). */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Assignees as a definition or a reassignment names them, split into users and groups. Pure. */
import type { Assignee } from "./types.ts";

export interface Split {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/**
 * The users and the groups, each once, in the order given; a plain string is a user. An entry that is
 * neither (from untyped code) is a TypeError naming it: a programming error, not a person's input.
 */
export function splitAssignees(list: readonly Assignee[]): Split {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const entry of list) {
    if (typeof entry === "string") users.add(entry);
    else if (entry && typeof entry === "object" && "user" in entry && typeof entry.user === "string")
      users.add(entry.user);
    else if (entry && typeof entry === "object" && "group" in entry && typeof entry.group === "string")
      groups.add(entry.group);
    else throw new TypeError(`an assignee is a user name, { user } or { group }, not ${JSON.stringify(entry)}`);
  }
  return { users: [...users], groups: [...groups] };
}

/**
 * What a task's form shows of its claim and its due date: who has it, when it is due, and the Claim,
 * Release, Reassign and due-date actions.
 */
import { MESSAGE_INFO, offerOf, type TaskSummary } from "joeflow";
import { allowed } from "../auth.ts";
import type { PageKit } from "./common.ts";

export interface ClaimView {
  readonly claimedBy: string | null;
  readonly groups: readonly string[];
  /** A group's task not claimed yet: its member claims it before completing it. */
  readonly mustClaim: boolean;
  readonly claimUrl?: string;
  readonly releaseUrl?: string;
  readonly reassignUrl?: string;
  readonly due: Date | null;
  readonly overdue: boolean;
  /** The due-date form, for those who may move it (`assign`). */
  readonly dueUrl?: string;
  /** Where the buttons return to. */
  readonly back: string;
}

export async function claimView(
  kit: PageKit,
  who: { readonly user: string | null; readonly groups: readonly string[] },
  task: TaskSummary,
  back: string,
): Promise<ClaimView> {
  const { user, groups } = who;
  const question = { user, workflow: task.workflowName, workflowId: task.workflowId };
  const may = (permission: "claim" | "assign") => allowed(kit.deps.auth, { ...question, permission });
  const offer = offerOf(task, user, groups);
  const url = (verb: string) => kit.urls.taskAction(task.workflowName, task.workflowId, task.id, verb);
  const free = task.claimedBy === null;
  // A button only for a group's queue: a task for anybody, or for one person, needs no claim on its page
  // (the API takes one all the same).
  const queue = task.groups.length > 0;
  const reassign = MESSAGE_INFO.reassign;
  const own = reassign.target === "task" && reassign.ownTask?.(task, user);
  return {
    claimedBy: task.claimedBy,
    groups: task.groups,
    mustClaim: free && offer === "group",
    claimUrl: free && queue && user !== null && offer !== "none" && (await may("claim")) ? url("claim") : undefined,
    releaseUrl: !free && task.claimedBy === user && (await may("claim")) ? url("release") : undefined,
    reassignUrl: own || (await may("assign")) ? url("reassign") : undefined,
    due: task.due,
    overdue: task.overdue,
    dueUrl: (await may("assign")) ? url("due") : undefined,
    back,
  };
}

import type { Context } from "hono";
import type { AnyWorkflow, Joeflow, TaskSummary, WorkflowView } from "joeflow";
import type { Urls } from "./urls.ts";

/**
 * "Anything you can do in a view you can do in a human task": your own Hono handler for a human
 * task (a JSON endpoint, an upload, a wizard). It gets the open task (none for a start view) after
 * the app's checks (the task is open, the user is an assignee), and the joeflow client to finish it.
 */
export interface CustomTaskContext {
  readonly joeflow: Joeflow;
  readonly workflow: AnyWorkflow;
  readonly taskName: string;
  readonly user: string | null;
  readonly urls: Urls;
  /** The open task; undefined for a start view, which starts the workflow with `joeflow.start`. */
  readonly task?: TaskSummary;
  readonly instance?: WorkflowView;
}

export type CustomTaskView = (c: Context, task: CustomTaskContext) => Response | Promise<Response>;

/** Keyed "workflow:task". */
export type CustomTaskViews = Readonly<Record<string, CustomTaskView>>;

export async function customTaskView(view: CustomTaskView, c: Context, task: CustomTaskContext): Promise<Response> {
  return await view(c, task);
}

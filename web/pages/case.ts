/**
 * The case a task form decides, shown beside the form: the state's fields it does not edit (or those
 * its `show` picks), read-only; the instance's graph; and its latest changes, newest first.
 */
import type { AnyWorkflow, CompiledTask, WorkflowView } from "joeflow";
import { formFields, type ReadOnlyView, readOnlyViews } from "../forms/mod.ts";
import type { PageKit } from "./common.ts";
import { diffOf, instancePicture } from "./detail.ts";

/** How many of the latest state changes the form shows. */
const RECENT = 10;

export interface CaseView {
  readonly shown: readonly ReadOnlyView[];
  readonly svg: string;
  readonly recent: readonly { at: Date; taskName: string; user: string | null; diff: ReturnType<typeof diffOf> }[];
}

export async function caseOf(
  kit: PageKit,
  definition: AnyWorkflow,
  task: Extract<CompiledTask, { type: "human" }>,
  instance: WorkflowView,
): Promise<CaseView> {
  const names =
    (task.kind === "updateView" ? task.show : undefined) ??
    Object.keys(definition.state.shape).filter((name) => !task.fields.includes(name));
  const fields = formFields(definition.state, names);
  const history = await kit.deps.joeflow.history(instance.id);
  return {
    shown: readOnlyViews(fields, instance.state, await kit.deps.auth.directory?.()),
    svg: (await instancePicture(kit, instance)).svg,
    recent: history
      .slice(-RECENT)
      .reverse()
      .map((change) => ({ at: change.at, taskName: change.taskName, user: change.user, diff: diffOf(change) })),
  };
}

import type { Context } from "hono";
import type { CompiledGraph, StateChange, TaskView, WorkflowView } from "joeflow";
import { instanceGraph, renderSvg } from "joeflow/render";
import { allowed } from "../auth.ts";
import type { WebWorkflow } from "../deps.ts";
import { liveStream } from "../live/mod.ts";
import { type Difference, differences, inDefinitionOrder, labelOf, page, type PageKit } from "./common.ts";
import { guard } from "./guard.ts";

/** The workflow page: graph, state, tasks, failures, history; `{name}/detail.eta` or `workflow/detail.eta`. */
export async function detailPage(
  kit: PageKit,
  c: Context,
  web: WebWorkflow,
  instance: WorkflowView,
): Promise<Response> {
  const user = await guard(kit, c, "view", instance.name, instance.id);
  const name = instance.name;
  const may = async (permission: "override" | "rerun" | "cancel" | "assign") =>
    await allowed(kit.deps.auth, { user, permission, workflow: name, workflowId: instance.id });
  const [canRerun, canCancel, canOverride] = [await may("rerun"), await may("cancel"), await may("override")];
  const canAssign = await may("assign");
  const { svg, taskUrl, graph } = await instancePicture(kit, instance);
  const rows = [...instance.tasks].reverse().map((task) => ({
    task,
    url: taskUrl(task),
    childUrl: childUrl(kit, graph, task),
    // No longer in the workflow's graph (an override task is no task of the graph, but no relic either).
    obsolete: task.name !== "override" && !Object.hasOwn(graph.tasks, task.name),
    rerunUrl: canRerun && task.status === "failed" ? kit.urls.rerun(name, instance.id, task.id) : undefined,
    cancelUrl:
      canCancel && (task.status === "scheduled" || task.status === "failed")
        ? kit.urls.cancelTask(name, instance.id, task.id)
        : undefined,
    dueUrl:
      canAssign && task.type === "human" && task.status === "scheduled"
        ? kit.urls.taskAction(name, instance.id, task.id, "due")
        : undefined,
  }));
  return await page(kit, c, [`${name}/detail`, "workflow/detail"], {
    title: instance.title,
    workflow: name,
    workflowLabel: labelOf(name),
    instance,
    state: inDefinitionOrder(Object.keys(instance.state), Object.keys(web.definition.state.shape)).map(
      (key) => [key, instance.state[key]] as const,
    ),
    svg,
    tasks: rows,
    // Hook events not delivered: a failing hook never holds the workflow up, so it is shown here.
    hooks: instance.hooks.map((hook) => ({
      ...hook,
      taskName: instance.tasks.find((t) => t.id === hook.taskId)?.name,
    })),
    history: await kit.deps.joeflow.history(instance.id),
    actions: await kit.deps.joeflow.actions(instance.id),
    diff: diffOf,
    overrideUrl: web.overrideView && canOverride ? kit.urls.override(name, instance.id) : undefined,
    cancelUrl: canCancel && instance.status === "running" ? kit.urls.cancelWorkflow(name, instance.id) : undefined,
    temporalUrl: kit.deps.temporalUi?.(`${name}-${instance.id}`),
    parent: await parentLink(kit, instance),
    live: await liveStream(kit, c, kit.urls.detailEvents(name, instance.id)),
  });
}

/** The instance's graph as an inline SVG, its open tasks linked to their forms. */
export async function instancePicture(
  kit: PageKit,
  instance: WorkflowView,
): Promise<{ svg: string; taskUrl: (task: TaskView) => string | undefined; graph: CompiledGraph }> {
  const graph = await kit.deps.joeflow.graph(instance.graphVersion);
  const taskUrl = (task: TaskView) =>
    openTaskUrl(kit, graph.tasks[task.name]?.kind, instance.name, task) ?? childUrl(kit, graph, task);
  return { svg: await renderSvg(instanceGraph(graph, instance, { taskUrl })), taskUrl, graph };
}

function openTaskUrl(kit: PageKit, kind: string | undefined, workflow: string, task: TaskView): string | undefined {
  return task.status === "scheduled" && kind === "updateView" ? kit.urls.task(workflow, task.name, task.id) : undefined;
}

/** A subflow task's child instance's page, once the task started one. */
function childUrl(kit: PageKit, graph: CompiledGraph, task: TaskView): string | undefined {
  const compiled = graph.tasks[task.name];
  if (compiled?.kind !== "subflow" || !task.childWorkflowId) return undefined;
  return kit.urls.detail(compiled.workflow, task.childWorkflowId);
}

/** A sub-workflow's parent: its page and title, and the task that started this instance. */
async function parentLink(
  kit: PageKit,
  instance: WorkflowView,
): Promise<{ url: string; title: string; task: string } | undefined> {
  if (!instance.parent) return undefined;
  const task = await kit.deps.joeflow.getTask(instance.parent.taskId);
  return { url: kit.urls.detail(task.workflowName, task.workflowId), title: task.workflowTitle, task: task.name };
}

export function diffOf(change: StateChange): Difference[] {
  return differences(change.before ?? {}, change.after);
}

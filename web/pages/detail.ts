import type { Context } from "hono";
import type { StateChange, TaskView, WorkflowView } from "joeflow";
import { instanceGraph, renderSvg } from "joeflow/render";
import { allowed } from "../auth.ts";
import type { WebWorkflow } from "../deps.ts";
import { inDefinitionOrder, labelOf, page, type PageKit } from "./common.ts";
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
  const may = async (permission: "override" | "rerun" | "cancel") =>
    await allowed(kit.deps.auth, { user, permission, workflow: name, workflowId: instance.id });
  const [canRerun, canCancel, canOverride] = [await may("rerun"), await may("cancel"), await may("override")];
  const graph = await kit.deps.joeflow.graph(instance.graphVersion);
  const taskUrl = (task: TaskView) => openTaskUrl(kit, graph.tasks[task.name]?.kind, name, task);
  const svg = await renderSvg(instanceGraph(graph, instance, { taskUrl }));
  const rows = [...instance.tasks].reverse().map((task) => ({
    task,
    url: taskUrl(task),
    rerunUrl: canRerun && task.status === "failed" ? kit.urls.rerun(name, instance.id, task.id) : undefined,
    cancelUrl:
      canCancel && (task.status === "scheduled" || task.status === "failed")
        ? kit.urls.cancelTask(name, instance.id, task.id)
        : undefined,
  }));
  return await page(kit, c, [`${name}/detail`, "workflow/detail"], {
    title: `${labelOf(name)} ${instance.id.slice(0, 8)}`,
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
    diff: diffOf,
    overrideUrl: web.overrideView && canOverride ? kit.urls.override(name, instance.id) : undefined,
    cancelUrl: canCancel && instance.status === "running" ? kit.urls.cancelWorkflow(name, instance.id) : undefined,
    temporalUrl: kit.deps.temporalUi?.(`${name}-${instance.id}`),
  });
}

function openTaskUrl(kit: PageKit, kind: string | undefined, workflow: string, task: TaskView): string | undefined {
  return task.status === "scheduled" && kind === "updateView" ? kit.urls.task(workflow, task.name, task.id) : undefined;
}

interface Difference {
  readonly key: string;
  readonly before: string;
  readonly after: string;
}

function diffOf(change: StateChange): Difference[] {
  const keys = new Set([...Object.keys(change.before ?? {}), ...Object.keys(change.after)]);
  const show = (value: unknown) =>
    value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
  return [...keys]
    .filter((key) => JSON.stringify(change.before?.[key]) !== JSON.stringify(change.after[key]))
    .map((key) => ({ key, before: show(change.before?.[key]), after: show(change.after[key]) }));
}

import type { Context } from "hono";
import {
  type AnyWorkflow,
  type CompiledTask,
  type DataIssue,
  InvalidData,
  ObsoleteTask,
  TaskNotOpen,
  type TaskSummary,
  UnknownTask,
  type WorkflowView,
} from "joeflow";
import { notFound } from "../errors.ts";
import { type FormField, formBody, formFields, formView, parseForm } from "../forms/mod.ts";
import { groupsOf } from "../auth.ts";
import { type ClaimView, claimView } from "./claims.ts";
import { caseOf } from "./case.ts";
import { labelOf, page, type PageKit } from "./common.ts";
import { type FlashCode, flashQuery } from "./flash.ts";
import { linkQuery } from "./links.ts";

type HumanTask = Extract<CompiledTask, { type: "human" }>;

interface FormState {
  readonly values: Record<string, unknown>;
  readonly issues: readonly DataIssue[];
}

/** Renders a human task's form: `{name}/{task}.eta`, `{name}/form.eta`, `workflow/form.eta`. */
async function showForm(
  kit: PageKit,
  c: Context,
  definition: AnyWorkflow,
  taskName: string,
  task: HumanTask,
  context: { instance?: WorkflowView; action: string; form: FormState; status?: 200 | 422; claim?: ClaimView },
): Promise<Response> {
  const fields = withRequired(formFields(definition.state, task.fields), task);
  const outgoing = definition.graph.edges.filter(([from]) => from === taskName).map(([, to]) => to);
  const choices =
    task.kind === "updateView" && task.pickNext ? outgoing.map((name) => ({ name, label: labelOf(name) })) : [];
  return await page(
    kit,
    c,
    [`${definition.name}/${taskName}`, `${definition.name}/form`, "workflow/form"],
    {
      title: `${labelOf(taskName)} · ${labelOf(definition.name)}`,
      heading: labelOf(taskName),
      workflow: definition.name,
      task: taskName,
      instance: context.instance,
      caseView: context.instance && (await caseOf(kit, definition, task, context.instance)),
      fields,
      ...formView(fields, context.form.values, context.form.issues, await kit.deps.auth.directory?.()),
      action: context.action,
      submitLabel: task.kind === "startView" ? `Start ${labelOf(definition.name)}` : "Complete",
      choices,
      claim: context.claim,
    },
    context.status ?? 200,
  );
}

/** The fields the task must fill are marked required on the form too (the message refuses them empty). */
function withRequired(fields: FormField[], task: HumanTask): FormField[] {
  const required = task.kind === "updateView" ? (task.required ?? []) : [];
  return fields.map((f) => (f.kind !== "checkbox" && required.includes(f.name) ? { ...f, required: true } : f));
}

async function readForm(
  c: Context,
  fields: readonly FormField[],
): Promise<{ data: Record<string, unknown>; next?: string[] }> {
  const body = await formBody(c);
  const next = body._next;
  return { data: parseForm([...fields], body), next: typeof next === "string" && next ? [next] : undefined };
}

/** GET and POST of a start view: the form that starts a workflow. */
export async function startView(
  kit: PageKit,
  c: Context,
  definition: AnyWorkflow,
  taskName: string,
  task: HumanTask,
): Promise<Response> {
  const action = kit.urls.start(definition.name, taskName);
  const user = await kit.deps.auth.user(c);
  // Only a POST changes anything: GET and HEAD (which Hono routes to GET handlers) show the form.
  if (c.req.method !== "POST")
    return await showForm(kit, c, definition, taskName, task, {
      action,
      form: { values: defaults(definition), issues: [] },
    });
  const { data } = await readForm(c, formFields(definition.state, task.fields));
  try {
    const { workflowId } = await kit.deps.joeflow.start(definition, { task: taskName, state: data, user });
    return c.redirect(afterSubmit(kit, definition, workflowId, "start"), 303);
  } catch (error) {
    if (!(error instanceof InvalidData)) throw error;
    return await showForm(kit, c, definition, taskName, task, {
      action,
      form: { values: data, issues: error.issues },
      status: 422,
    });
  }
}

/** GET and POST of any other human task; the task was read once, by the route. */
export async function taskView(
  kit: PageKit,
  c: Context,
  definition: AnyWorkflow,
  task: TaskSummary,
): Promise<Response> {
  const compiled = definition.graph.tasks[task.name] as HumanTask;
  const action = kit.urls.task(definition.name, task.name, task.id) + linkQuery(c);
  const user = await kit.deps.auth.user(c);
  const groups = await groupsOf(kit.deps.auth, user);
  // The instance is read only to draw a form: a valid POST goes straight to the engine.
  const show = async (values: Record<string, unknown>, issues: readonly DataIssue[], status: 200 | 422) => {
    const instance = await kit.deps.joeflow.get(task.workflowId);
    return await showForm(kit, c, definition, task.name, compiled, {
      instance,
      action,
      form: { values: { ...instance.state, ...values }, issues },
      status,
      claim: await claimView(kit, { user, groups }, task, action),
    });
  };
  if (c.req.method !== "POST") return await show({}, [], 200);
  const { data, next } = await readForm(c, formFields(definition.state, compiled.fields));
  if (compiled.kind === "updateView" && compiled.pickNext && !next) {
    return await show(data, [{ path: ["_next"], message: "Pick one of the buttons." }], 422);
  }
  try {
    await kit.deps.joeflow.completeTask(task, { data, user, groups, next });
    return c.redirect(afterSubmit(kit, definition, task.workflowId, "completeTask", task.name), 303);
  } catch (error) {
    if (error instanceof InvalidData) return await show(data, error.issues, 422);
    if (error instanceof UnknownTask) return await show(data, [{ path: ["_next"], message: error.message }], 422);
    if (error instanceof TaskNotOpen || error instanceof ObsoleteTask) {
      // Someone else finished it first (another tab, another person): the form is gone.
      const status = error instanceof TaskNotOpen ? error.status : "obsolete";
      throw notFound(`This task is closed: it is ${status}.`, kit.urls.detail(definition.name, task.workflowId));
    }
    throw error;
  }
}

/** After a form: the workflow page, or the index when the workflow has none, saying what was done. */
function afterSubmit(
  kit: PageKit,
  definition: AnyWorkflow,
  workflowId: string,
  done: FlashCode,
  task?: string,
): string {
  return kit.deps.workflows.get(definition.name)?.detailView === false
    ? kit.urls.index() + flashQuery(done, task, definition.name)
    : kit.urls.detail(definition.name, workflowId) + flashQuery(done, task);
}

function defaults(definition: AnyWorkflow): Record<string, unknown> {
  const parsed = definition.state.partial().safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

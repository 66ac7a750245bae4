import type { Context } from "hono";
import { InvalidData, toIssue, UnknownTask, type WorkflowView } from "joeflow";
import type { WebWorkflow } from "../deps.ts";
import { formBody, formFields, formView, parseForm } from "../forms/mod.ts";
import { differences, inDefinitionOrder, labelOf, page, type PageKit } from "./common.ts";
import { flashQuery } from "./flash.ts";
import { guard } from "./guard.ts";

const OPEN = new Set(["scheduled", "failed"]);

/**
 * The override page: every state field and a multiple choice of next tasks, the open ones marked.
 * Its POST first shows what the override will do (the tasks it cancels, the fields it changes, the
 * tasks it starts) with the form's values in hidden fields; only "Yes, override" there changes anything.
 */
export async function overridePage(
  kit: PageKit,
  c: Context,
  web: WebWorkflow,
  instance: WorkflowView,
): Promise<Response> {
  const user = await guard(kit, c, "override", instance.name, instance.id);
  const definition = web.definition;
  const fields = formFields(definition.state, Object.keys(definition.state.shape));
  const graph = await kit.deps.joeflow.graph(instance.graphVersion);
  const openTasks = [...new Set(instance.tasks.filter((t) => OPEN.has(t.status)).map((t) => t.name))];
  const nextTasks = (next: readonly string[]) =>
    inDefinitionOrder(Object.keys(graph.tasks), Object.keys(definition.graph.tasks)).map((name) => ({
      name,
      label: labelOf(name),
      type: graph.tasks[name]!.type,
      checked: next.includes(name),
      open: openTasks.includes(name),
    }));
  const common = {
    title: `Override ${instance.title}`,
    workflow: definition.name,
    workflowLabel: labelOf(definition.name),
    instance,
    openTasks: openTasks.map(labelOf),
    action: kit.urls.override(definition.name, instance.id),
  };
  const show = async (
    values: Record<string, unknown>,
    next: readonly string[],
    issues: InvalidData["issues"],
    status: 200 | 422,
  ) =>
    await page(
      kit,
      c,
      [`${definition.name}/override`, "workflow/override", `${definition.name}/form`, "workflow/form"],
      {
        ...common,
        fields,
        ...formView(fields, values, issues, await kit.deps.auth.directory?.()),
        nextTasks: nextTasks(next),
      },
      status,
    );
  if (c.req.method !== "POST") return await show(instance.state, [], [], 200);
  const body = await formBody(c);
  const state = parseForm(fields, body);
  const next = [body.next ?? []].flat().filter((n): n is string => typeof n === "string");
  const merged = { ...instance.state, ...state };
  if (body._confirm !== "yes") {
    const parsed = definition.state.safeParse(merged);
    if (!parsed.success) return await show(merged, next, parsed.error.issues.map(toIssue), 422);
    const stray = next.filter((name) => !Object.hasOwn(graph.tasks, name));
    const strayIssue = { path: ["next"], message: `Not a task of this workflow: ${stray.join(", ")}` };
    if (stray.length) return await show(merged, next, [strayIssue], 422);
    if (body._edit !== undefined) return await show(merged, next, [], 200);
    return await page(kit, c, [`${definition.name}/override-confirm`, "workflow/override-confirm"], {
      ...common,
      title: `Confirm: ${common.title}`,
      changes: differences(instance.state, parsed.data as Record<string, unknown>),
      starts: next.map(labelOf),
      carried: carried(body),
    });
  }
  try {
    await kit.deps.joeflow.override(instance, { state, next, user });
  } catch (error) {
    if (error instanceof InvalidData) return await show(merged, next, error.issues, 422);
    if (error instanceof UnknownTask)
      return await show(merged, next, [{ path: ["next"], message: error.message }], 422);
    throw error;
  }
  return c.redirect(kit.urls.detail(definition.name, instance.id) + flashQuery("override"), 303);
}

/** The form's fields as sent, for the confirmation's hidden inputs (not the token and the step's own buttons). */
function carried(body: Record<string, unknown>): [string, string][] {
  return Object.entries(body)
    .filter(([name]) => !["_csrf", "_confirm", "_edit"].includes(name))
    .flatMap(([name, value]) =>
      [value]
        .flat()
        .filter((v) => typeof v === "string")
        .map((v): [string, string] => [name, v as string]),
    );
}

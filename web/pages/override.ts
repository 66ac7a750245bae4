import type { Context } from "hono";
import { InvalidData, type WorkflowView, UnknownTask } from "joeflow";
import { formBody, formFields, formView, parseForm } from "../forms/mod.ts";
import type { WebWorkflow } from "../deps.ts";
import { inDefinitionOrder, labelOf, page, type PageKit } from "./common.ts";
import { guard } from "./guard.ts";

/** The override page: every state field and a multiple choice of next tasks. */
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
        title: `Override ${instance.title}`,
        workflow: definition.name,
        workflowLabel: labelOf(definition.name),
        instance,
        fields,
        ...formView(fields, values, issues, await kit.deps.auth.directory?.()),
        nextTasks: inDefinitionOrder(Object.keys(graph.tasks), Object.keys(definition.graph.tasks)).map((name) => ({
          name,
          label: labelOf(name),
          type: graph.tasks[name]!.type,
          checked: next.includes(name),
        })),
        action: kit.urls.override(definition.name, instance.id),
      },
      status,
    );
  if (c.req.method !== "POST") return await show(instance.state, [], [], 200);
  const body = await formBody(c);
  const state = parseForm(fields, body);
  const next = [body.next ?? []].flat().filter((n): n is string => typeof n === "string");
  try {
    await kit.deps.joeflow.override(instance, { state, next, user });
  } catch (error) {
    if (error instanceof InvalidData) return await show({ ...instance.state, ...state }, next, error.issues, 422);
    if (error instanceof UnknownTask)
      return await show({ ...instance.state, ...state }, next, [{ path: ["next"], message: error.message }], 422);
    throw error;
  }
  return c.redirect(kit.urls.detail(definition.name, instance.id), 303);
}

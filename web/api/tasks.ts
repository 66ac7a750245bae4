/** Routes of tasks across workflows: list, get, complete, rerun and cancel. */
import type { Hono } from "hono";
import { TaskNotOpen, type TaskSummary } from "joeflow";
import { checkAssignee, mayView, permit, permitUser, servedTask } from "./access.ts";
import { ApiError, nextProblem } from "./errors.ts";
import { completeBody, emptyBody, readJson, readQuery, tasksQuery } from "./request.ts";
import { type ApiKit, endpoint, pathParam } from "./routing.ts";
import { actionResult } from "./workflows.ts";

export function taskRoutes(app: Hono, kit: ApiKit): void {
  const { deps } = kit;

  endpoint(app, "/tasks", {
    async GET(c) {
      const user = await permit(deps, c, "view", "*");
      const query = readQuery(c, tasksQuery);
      const page = await deps.joeflow.listTasks(query);
      // Only tasks of served workflows the user may view; the cursor still walks the whole list.
      const visible = new Map<string, boolean>();
      const items: TaskSummary[] = [];
      for (const task of page.items) {
        const key = `${task.workflowName}/${task.workflowId}`;
        if (!visible.has(key)) {
          visible.set(key, deps.workflows.has(task.workflowName) && await mayView(deps, user, task.workflowName, task.workflowId));
        }
        if (visible.get(key)) items.push(task);
      }
      return c.json({ items, nextCursor: page.nextCursor });
    },
  });

  endpoint(app, "/tasks/:taskId", {
    async GET(c) {
      const task = await servedTask(deps, pathParam(c, "taskId"));
      await permit(deps, c, "view", task.workflowName, task.workflowId);
      return c.json(task);
    },
  });

  endpoint(app, "/tasks/:taskId/complete", {
    async POST(c) {
      const task = await servedTask(deps, pathParam(c, "taskId"));
      if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
      if (task.type !== "human") throw new ApiError(409, "NotHumanTask", `Task ${task.id} (${task.name}) is a machine task: only people's tasks are completed.`);
      const user = await deps.auth.user(c);
      checkAssignee(task, user);
      await permitUser(deps, user, "complete", task.workflowName, task.workflowId);
      const body = await readJson(c, completeBody);
      const result = await deps.joeflow.completeTask(task.id, { data: body.data, next: body.next, user }).catch((error: unknown) => {
        throw body.next ? nextProblem(error) : error;
      });
      return c.json(actionResult(task.workflowId, result));
    },
  });

  endpoint(app, "/tasks/:taskId/rerun", {
    async POST(c) {
      const task = await servedTask(deps, pathParam(c, "taskId"));
      const user = await permit(deps, c, "rerun", task.workflowName, task.workflowId);
      await readJson(c, emptyBody);
      return c.json(actionResult(task.workflowId, await deps.joeflow.rerun(task.id, { user })));
    },
  });

  endpoint(app, "/tasks/:taskId/cancel", {
    async POST(c) {
      const task = await servedTask(deps, pathParam(c, "taskId"));
      const user = await permit(deps, c, "cancel", task.workflowName, task.workflowId);
      await readJson(c, emptyBody);
      return c.json(actionResult(task.workflowId, await deps.joeflow.cancelTask(task.id, { user })));
    },
  });
}

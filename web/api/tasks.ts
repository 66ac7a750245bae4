/** Routes of tasks across workflows: list, the user's inbox and get (their messages are in messages.ts). */
import type { Hono } from "hono";
import type { TaskSummary } from "joeflow";
import { mayView, permit, servedTask } from "./access.ts";
import { readInbox } from "../inbox.ts";
import { inboxQuery, readQuery, tasksQuery } from "./request.ts";
import { type ApiKit, endpoint, pathParam } from "./routing.ts";

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
          visible.set(
            key,
            deps.workflows.has(task.workflowName) && (await mayView(deps, user, task.workflowName, task.workflowId)),
          );
        }
        if (visible.get(key)) items.push(task);
      }
      return c.json({ items, nextCursor: page.nextCursor });
    },
  });

  endpoint(app, "/inbox", {
    async GET(c) {
      const user = await permit(deps, c, "view", "*");
      const inbox = await readInbox(deps, user, readQuery(c, inboxQuery));
      return c.json(inbox);
    },
  });

  endpoint(app, "/tasks/:taskId", {
    async GET(c) {
      const task = await servedTask(deps, pathParam(c, "taskId"));
      await permit(deps, c, "view", task.workflowName, task.workflowId);
      return c.json(task);
    },
  });
}

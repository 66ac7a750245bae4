import { defineWorkflow, type HookEvent, tasks, WorkflowDefinitionError } from "joeflow";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const base = {
  name: "hooked",
  state: z.object({ n: z.number().default(0) }),
  tasks: { start: tasks.start(), end: () => {} },
  edges: [["start", "end"]] as [["start", "end"]],
};

describe("hooks in a definition", () => {
  it("keeps the hooks, typed by the state, on the definition", () => {
    const got: HookEvent[] = [];
    const workflow = defineWorkflow({
      ...base,
      on: {
        taskCompleted: (event) => {
          const n: number = event.state.n; // the state's own type
          got.push({ ...event, state: { n } });
        },
      },
    });
    expect(Object.keys(workflow.on)).toEqual(["taskCompleted"]);
  });

  it("names an unknown event or a hook that is no function", () => {
    const on = { taskDone: () => {}, taskFailed: "mail me" } as unknown as Record<string, never>;
    let problems: readonly string[] = [];
    try {
      defineWorkflow({ ...base, on });
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowDefinitionError);
      problems = (error as WorkflowDefinitionError).problems;
    }
    expect(problems).toEqual([
      expect.stringContaining('"on.taskDone" is no event'),
      'workflow "on.taskFailed" must be a function',
    ]);
  });
});

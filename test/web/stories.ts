/**
 * The stage of the web app's route tests (test/web/*.test.ts, split by story): the workflows they
 * play, the app as the demo wires it, and the engine under it. A clerk starts a shipping order, the
 * warehouse ships it, a manager overrides and reruns, and a few people try what they should not.
 *
 * Each test file gets its app from `webStory` in its own `beforeAll` and tears it down in `afterAll`:
 *
 *     let env: WebStory;
 *     let app: Hono;
 *     beforeAll(async () => {
 *       env = await webStory({ engine: "temporal" });
 *       app = env.app;
 *     });
 *     afterAll(async () => {
 *       await env?.teardown();
 *     });
 *
 * "temporal" is the real test env (createTestEnv: the Temporal time-skipping test server, PGlite and
 * a worker). "memory" — joeflow's store on an in-memory PGlite with the messages applied directly,
 * no Temporal — is not there yet; the files whose tests need no running engine say so at the top
 * (`// no engine needed: …`, `// TODO(memory)`) and switch over by changing that one word.
 */
import type { Hono } from "hono";
import { afterAll, beforeAll } from "vitest";
import { defineWorkflow, tasks, type Joeflow, type TaskView } from "joeflow";
import { createTestEnv } from "joeflow/testing";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import { assignee, failing } from "../fixtures/workflows.ts";
import { memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { demoApp, openTask } from "./helpers.ts";

/** An approval: the person picks the way on, one button per outgoing edge. */
export const approval = defineWorkflow({
  name: "approval",
  state: z.object({ title: z.string().min(1) }),
  tasks: {
    request: tasks.startView({ fields: ["title"] }),
    decide: tasks.updateView({ fields: [], pickNext: true }),
    approve: () => {},
    reject: () => {},
  },
  edges: [
    ["request", "decide"],
    ["decide", "approve"],
    ["decide", "reject"],
  ],
});

/** A machine task whose error message is HTML. */
export const nasty = defineWorkflow({
  name: "nasty",
  state: z.object({}),
  tasks: {
    start: tasks.start(),
    explode: () => {
      throw new Error("<b>bold</b> & broken");
    },
  },
  edges: [["start", "explode"]],
});

/** Many small instances to page through. */
export const note = defineWorkflow({
  name: "note",
  state: z.object({ text: z.string().default("") }),
  tasks: { write: tasks.startView({ fields: ["text"] }), file: tasks.updateView({ fields: [] }) },
  edges: [["write", "file"]],
});

/** Served by custom handlers: a JSON start and a JSON answer. */
export const survey = defineWorkflow({
  name: "survey",
  state: z.object({ question: z.string().min(1), answer: z.string().optional() }),
  tasks: {
    ask: tasks.startView({ fields: ["question"] }),
    reply: tasks.updateView({ fields: ["answer"] }),
    end: () => {},
  },
  edges: [
    ["ask", "reply"],
    ["reply", "end"],
  ],
});

/** What the engine runs; `app` serves all but `survey`, which custom-views.test.ts serves with its own handlers. */
export const engineWorkflows = [shipping, welcome, assignee, failing, approval, nasty, note, survey];
export const appWorkflows = [shipping, welcome, assignee, failing, approval, nasty, note];

/**
 * What runs the workflows under the app: "temporal", the real test env; "memory", the store on an
 * in-memory PGlite with no Temporal (not yet).
 */
export type Engine = "temporal" | "memory";

export interface WebStory {
  /** The demo's app (sign-in by user name) serving `appWorkflows`, with a Temporal UI link. */
  readonly app: Hono;
  readonly joeflow: Joeflow;
  /** Resolves when the instance waits for people only (TestEnv.idle). */
  idle(workflowId: string): Promise<unknown>;
  /** How many instances of this workflow there are (up to 500). */
  count(name: string): Promise<number>;
  /** A shipping order started from code by "clerk", waiting at "ship". */
  order(shippingAddress?: string): Promise<{ workflowId: string; ship: TaskView }>;
  teardown(): Promise<void>;
}

export async function webStory({ engine }: { engine: Engine }): Promise<WebStory> {
  const env = engine === "memory" ? await memoryEnv() : await createTestEnv({ workflows: engineWorkflows });
  const joeflow = env.joeflow;
  const app = demoApp(joeflow, {
    workflows: appWorkflows,
    temporalUi: (id) => `http://temporal.test/workflows/${encodeURIComponent(id)}`,
  });
  return {
    app,
    joeflow,
    idle: (workflowId) => env.idle(workflowId),
    count: async (name) => (await joeflow.list({ name, limit: 500 })).items.length,
    async order(shippingAddress = "1 Main St") {
      const { workflowId } = await joeflow.start(shipping, { state: { shippingAddress }, user: "clerk" });
      return { workflowId, ship: await openTask(joeflow, workflowId, "ship") };
    },
    teardown: () => env.teardown(),
  };
}

/** The memory engine, shaped as the test env's parts that the stories use. */
async function memoryEnv() {
  const memory = await memoryJoeflow(engineWorkflows);
  return {
    joeflow: memory.joeflow,
    idle: () => Promise.resolve(undefined),
    teardown: () => memory.close(),
  };
}

/**
 * The story of one test file: started before its tests, torn down after them. Its parts are there
 * from the first test on.
 */
export function useWebStory(engine: Engine): WebStory {
  let story: WebStory | undefined;
  beforeAll(async () => {
    story = await webStory({ engine });
  });
  afterAll(async () => {
    await story?.teardown();
  });
  const started = (): WebStory => {
    if (!story) throw new Error("The story starts in beforeAll: use its parts inside the tests.");
    return story;
  };
  return {
    get app() {
      return started().app;
    },
    get joeflow() {
      return started().joeflow;
    },
    idle: (workflowId) => started().idle(workflowId),
    count: (name) => started().count(name),
    order: (shippingAddress) => started().order(shippingAddress),
    teardown: () => started().teardown(),
  };
}

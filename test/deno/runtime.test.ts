/**
 * Proves which runtime a suite runs on, and that the live worker and the web server run there.
 * `deno task test` sets JOEFLOW_RUNTIME=deno; the Node suite (`npx vitest run`) leaves it unset.
 * Without this, tests could silently run on Node (e.g. if the test pool spawned `node`).
 */
import process from "node:process";
import type { Hono } from "hono";
import { defineWorkflow, tasks } from "joeflow";
import { createWebApp } from "joeflow/web";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Served } from "joeflow/web/node";

const expected = process.env.JOEFLOW_RUNTIME ?? "node";
const runtime = () => ("Deno" in globalThis ? "deno" : "node");

/** Its machine task runs as an activity in the worker, i.e. in this very process: it writes down where it ran. */
const probe = defineWorkflow({
  name: "runtime-probe",
  state: z.object({ runtime: z.string().default("") }),
  tasks: {
    start: tasks.start(),
    where: ({ state }) => {
      state.runtime = runtime();
    },
    end: () => {},
  },
  edges: [
    ["start", "where"],
    ["where", "end"],
  ],
});

/** Starts the probe as a sub-workflow: a Temporal child workflow, whose end the parent hears of by a Signal. */
const parentProbe = defineWorkflow({
  name: "runtime-parent",
  state: z.object({ runtime: z.string().default("") }),
  tasks: {
    start: tasks.start(),
    probe: tasks.subflow(probe, {
      input: () => ({}),
      output: (_state: { runtime: string }, child) => ({ runtime: child.runtime }),
    }),
  },
  edges: [["start", "probe"]],
});

/** The runtime's own server: Deno.serve on Deno, @hono/node-server on Node. */
async function serve(app: Hono): Promise<Served> {
  if (runtime() === "deno") return (await import("joeflow/web/deno")).serveDeno(app, { port: 0 });
  return await (await import("joeflow/web/node")).serveNode(app, { port: 0 });
}

describe("the runtime running the tests", () => {
  it("is the one the suite was started for", () => {
    expect(runtime()).toBe(expected);
    if (expected === "deno") {
      expect(process.execPath).toMatch(/deno/);
      expect((globalThis as { Deno?: { version: { deno: string } } }).Deno?.version.deno).toMatch(/^2\./);
    }
  });
});

describe("a live worker and the web app on this runtime", () => {
  let env: TestEnv;
  let server: Served | undefined;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [probe, parentProbe] });
  });
  afterAll(async () => {
    await server?.close();
    await env?.teardown();
  });

  it("runs a workflow and its machine task in a Temporal worker in this process", async () => {
    const { workflowId } = await env.joeflow.start(probe, { state: {} });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.state).toEqual({ runtime: expected });
  });

  it("runs a sub-workflow as a child workflow and merges its state", async () => {
    const { workflowId } = await env.joeflow.start(parentProbe, { state: {} });
    await env.idle(workflowId);
    const childId = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "probe")!.childWorkflowId!;
    await env.idle(childId);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.state).toEqual({ runtime: expected });
  });

  it("serves the web app over HTTP with the runtime's server", async () => {
    server = await serve(createWebApp({ joeflow: env.joeflow, workflows: [probe] }));
    const front = await fetch(`${server.url}/`);
    expect(front.status).toBe(200);
    expect(front.headers.get("content-type")).toMatch(/text\/html/);
    expect(await front.text()).toContain("runtime-probe");
    const css = await fetch(`${server.url}/static/joeflow.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(0);
  });

  it("streams live pages' events with the runtime's server, and frees a stream its client leaves", async () => {
    const live = await serve(createWebApp({ joeflow: env.joeflow, workflows: [probe], live: { maxListeners: 1 } }));
    try {
      const leaving = new AbortController();
      const stream = await fetch(`${live.url}/inbox/events`, { signal: leaving.signal });
      expect(stream.headers.get("content-type")).toBe("text/event-stream");
      const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      const { workflowId } = await env.joeflow.start(probe, { state: {} });
      let text = "";
      while (!text.includes("event: change")) text += (await reader.read()).value ?? "";
      /** Asks for a stream and lets it go at once: its status. */
      const knock = async () => {
        const response = await fetch(`${live.url}/inbox/events`);
        await response.body?.cancel();
        return response.status;
      };
      expect(await knock()).toBe(503); // the one place is taken
      leaving.abort();
      let again = await knock();
      for (let tries = 0; again === 503 && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        again = await knock();
      }
      expect(again).toBe(200);
      await env.idle(workflowId);
    } finally {
      await live.close();
    }
  });
});

/**
 * Scaled out, as a team runs it: a Temporal server, PostgreSQL, one worker process and two web
 * processes that share nothing but those two and the cookie secret (examples/cluster/). A clerk
 * starts an order on one web process, the warehouse ships it on the other, the worker runs the
 * machine tasks; then every process stops cleanly on SIGTERM.
 */
import { TestWorkflowEnvironment } from "@temporalio/testing";
import type { JoeflowDatabase } from "joeflow";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devServerExecutable } from "../../src/temporal-servers/mod.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";
import { freePort, onDeno, outputs, type Service, startService, until } from "../fixtures/services.ts";
import { Browser, overHttp } from "../web/helpers.ts";

describe.runIf(postgresUrl)("a deployment of one worker and two web processes", () => {
  let temporal: TestWorkflowEnvironment;
  let postgres: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Kysely<JoeflowDatabase>;
  const services: Service[] = [];
  const web: string[] = [];

  beforeAll(async () => {
    temporal = await TestWorkflowEnvironment.createLocal({ server: { executable: await devServerExecutable() } });
    postgres = await freshPostgres();
    db = postgres.db as Kysely<JoeflowDatabase>;
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: postgres.url,
      JOEFLOW_TASK_QUEUE: "cluster-test",
      JOEFLOW_SECRET: crypto.randomUUID() + crypto.randomUUID(),
      HOST: "127.0.0.1",
    };
    services.push(startService("worker", "examples/cluster/worker.ts", env));
    for (const name of ["web-a", "web-b"]) {
      const port = await freePort();
      web.push(`http://127.0.0.1:${port}`);
      services.push(startService(name, "examples/cluster/web.ts", { ...env, PORT: String(port) }));
    }
    await until(
      "every process to be up",
      () => services.every((s) => /joeflow (worker|web):/.test(s.output)),
      services,
    );
  }, 180_000);

  afterAll(async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await postgres?.drop();
    await temporal?.teardown();
  });

  it("starts an order on one web process, ships it on the other, and the worker finishes it", {
    timeout: 120_000,
  }, async () => {
    const clerk = new Browser(overHttp(web[0]!));
    expect((await clerk.signIn("clerk")).status).toBe(303);
    const started = await clerk.post("/shipping/checkout/", {
      shippingAddress: "1 Cluster Way",
      email: "ann@example.com",
    });
    expect(started.status, started.html).toBe(303);
    const workflowId = /^\/shipping\/([0-9a-f-]{36})\/(\?done=start)?$/.exec(started.location ?? "")![1]!;

    const ship = await db
      .selectFrom("joeflow_task")
      .select("id")
      .where("workflow_id", "=", workflowId)
      .where("name", "=", "ship")
      .where("status", "=", "scheduled")
      .executeTakeFirstOrThrow();
    const warehouse = new Browser(overHttp(web[1]!));
    await warehouse.signIn("warehouse");
    const shipped = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "CL-1" });
    expect(shipped.status, shipped.html).toBe(303);
    expect(shipped.location).toBe(`/shipping/${workflowId}/?done=completeTask&task=ship`);

    const status = async () =>
      (await db.selectFrom("joeflow_workflow").select("status").where("id", "=", workflowId).executeTakeFirstOrThrow())
        .status;
    await until("the worker to finish the order", async () => (await status()) === "done", services);
    const tasks = await db
      .selectFrom("joeflow_task")
      .select(["name", "status", "completed_by_user"])
      .where("workflow_id", "=", workflowId)
      .orderBy("seq")
      .execute();
    expect(tasks.map((t) => [t.name, t.status, t.completed_by_user])).toEqual([
      ["checkout", "succeeded", "clerk"],
      ["ship", "succeeded", "warehouse"],
      ["hasEmail", "succeeded", null],
      ["sendTrackingCode", "succeeded", null],
      ["end", "succeeded", null],
    ]);
    // The sign-in cookie of one web process is good on the other: they share the secret.
    const clerkOnB = new Browser(overHttp(web[1]!));
    for (const [name, value] of clerk.cookies) clerkOnB.cookies.set(name, value);
    const page = await clerkOnB.get(`/shipping/${workflowId}/`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Signed in as <strong>clerk</strong>");
  });

  it("stops every process cleanly on SIGTERM", { timeout: 60_000 }, async () => {
    for (const service of services) service.child.kill("SIGTERM");
    const codes = await Promise.all(services.map((s) => s.exited));
    const output = outputs(services);
    for (const service of services) expect(service.output, output).toMatch(/SIGTERM: stopping\n[\s\S]*stopped\n$/);
    // Deno's child_process reports the signal it sent rather than the exit code; Node reports the code.
    if (!onDeno) expect(codes, output).toEqual([0, 0, 0]);
  });
});

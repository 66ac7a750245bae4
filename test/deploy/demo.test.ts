/**
 * The README's first command, `npm start` (examples/serve.ts): the demo comes up on the embedded
 * defaults (the Temporal dev server, PGlite in a data folder, the worker and the web app in one
 * process), a clerk starts an order and the warehouse ships it, and Ctrl-C stops it cleanly; the
 * data is still there when it comes up again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, onDeno, outputs, type Service, startService, until } from "../fixtures/services.ts";
import { Browser, overHttp } from "../web/helpers.ts";

describe("the demo (npm start)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "joeflow-demo-"));
  const services: Service[] = [];
  afterAll(() => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startDemo(): Promise<{ demo: Service; url: string }> {
    const port = await freePort();
    const demo = startService(`demo ${services.length + 1}`, "examples/serve.ts", {
      PORT: String(port),
      JOEFLOW_DATA_DIR: dataDir,
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    services.push(demo);
    await until("the demo to serve", () => demo.output.includes("joeflow demo on"), services, 120_000);
    return { demo, url: `http://127.0.0.1:${port}` };
  }

  async function stop(demo: Service): Promise<void> {
    demo.child.kill("SIGINT");
    const code = await demo.exited;
    // Deno's child_process reports the signal it sent rather than the exit code; Node reports the code.
    if (!onDeno) expect(code, outputs(services)).toBe(0);
    expect(demo.output).toMatch(/SIGINT: stopping\n[\s\S]*stopped\n$/);
    expect(demo.output).not.toMatch(/Error|error:/);
  }

  it("serves the front page, takes an order through its forms, and stops on Ctrl-C", { timeout: 180_000 }, async () => {
    const { demo, url } = await startDemo();
    const front = await new Browser(overHttp(url)).get("/");
    expect(front.status).toBe(200);
    expect(front.html).toContain("Shipping");

    const clerk = new Browser(overHttp(url));
    await clerk.signIn("clerk");
    const started = await clerk.post("/shipping/checkout/", { shippingAddress: "1 Demo St" });
    expect(started.status, started.html).toBe(303);
    const page = await clerk.get(started.location!);
    const ship = /href="(\/shipping\/ship\/[0-9a-f-]{36}\/)"/.exec(page.html)?.[1];
    expect(ship, page.html).toBeDefined();
    const warehouse = new Browser(overHttp(url));
    await warehouse.signIn("warehouse");
    expect((await warehouse.post(ship!, { trackingCode: "DEMO-1" })).status).toBe(303);
    await until(
      "the order to be done",
      async () => (await clerk.get(started.location!)).html.includes("status-done"),
      services,
    );
    await stop(demo);

    const again = await startDemo(); // the same data folder: the order is still there
    expect((await new Browser(overHttp(again.url)).get(started.location!)).html).toContain("DEMO-1");
    await stop(again.demo);
  });
});

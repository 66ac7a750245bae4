import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../examples/mailer.ts";
import { shipping } from "../../examples/shipping.ts";

describe("a shipping order on the time-skipping server", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [shipping] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("checks out, ships and mails the tracking code", async () => {
    const { workflowId } = await env.joeflow.start("shipping", {
      state: { shippingAddress: "1 Main St", email: "ann@example.com" },
      user: "clerk",
    });
    let order = await env.joeflow.get(workflowId);
    expect(order.status).toBe("running");
    expect(order.tasks.map((t) => [t.name, t.status])).toEqual([
      ["checkout", "succeeded"],
      ["ship", "scheduled"],
    ]);
    const ship = order.tasks.find((t) => t.name === "ship")!;
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "TRACK-1" }, user: "warehouse" });
    await env.idle(workflowId);
    order = await env.joeflow.get(workflowId);
    expect(order.status).toBe("done");
    expect(order.state).toEqual({ shippingAddress: "1 Main St", email: "ann@example.com", trackingCode: "TRACK-1" });
    expect(order.tasks.map((t) => [t.name, t.status])).toEqual([
      ["checkout", "succeeded"],
      ["ship", "succeeded"],
      ["hasEmail", "succeeded"],
      ["sendTrackingCode", "succeeded"],
      ["end", "succeeded"],
    ]);
    expect(order.tasks[1]!.completedByUser).toBe("warehouse");
    expect(outbox).toContainEqual({ to: "ann@example.com", subject: "Your tracking code", body: "TRACK-1" });
  });
});

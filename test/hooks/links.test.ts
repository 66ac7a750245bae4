import { TASK_LINK_PARAMS, taskLink, verifyTaskLink } from "joeflow";
import { describe, expect, it } from "vitest";

const target = {
  workflow: "shipping",
  workflowId: "3f1c2d9e-0000-4000-8000-000000000002",
  task: "ship",
  taskId: "3f1c2d9e-0000-8000-8000-000000000003",
};
const secret = "link-secret-0123456789";
const now = Date.UTC(2026, 11, 1, 10, 0, 0);

describe("signed task links", () => {
  it("point to the task's form, for one user, until they expire", async () => {
    const link = new URL(
      await taskLink({
        ...target,
        user: "ann",
        baseUrl: "https://flows.example/app/",
        secret,
        expiresIn: "1 day",
        now,
      }),
    );
    expect(link.pathname).toBe(`/app/shipping/ship/${target.taskId}/`);
    expect(link.searchParams.get(TASK_LINK_PARAMS.user)).toBe("ann");
    const check = (query: URLSearchParams, at = now) => verifyTaskLink({ secret, target, query, now: at });
    expect(await check(link.searchParams)).toEqual({ ok: true, user: "ann", expires: now / 1000 + 86_400 });
    expect(await check(link.searchParams, now + 86_401_000)).toEqual({ ok: false, reason: "LinkExpired" });
  });

  it("refuse another user, another task, a longer expiry, another secret, a broken query", async () => {
    const link = new URL(await taskLink({ ...target, user: "ann", baseUrl: "http://x", secret, expiresIn: "1h", now }));
    const changed = (name: string, value: string) => {
      const query = new URLSearchParams(link.searchParams);
      query.set(name, value);
      return query;
    };
    const check = (query: URLSearchParams, options: { secret?: string; taskId?: string } = {}) =>
      verifyTaskLink({ secret: options.secret ?? secret, target: { ...target, ...options }, query, now });
    expect(await check(changed(TASK_LINK_PARAMS.user, "eve"))).toEqual({ ok: false, reason: "BadSignature" });
    expect(await check(changed(TASK_LINK_PARAMS.expires, "99999999999"))).toEqual({
      ok: false,
      reason: "BadSignature",
    });
    expect(await check(link.searchParams, { taskId: target.workflowId })).toEqual({
      ok: false,
      reason: "BadSignature",
    });
    expect(await check(link.searchParams, { secret: "other" })).toEqual({ ok: false, reason: "BadSignature" });
    expect(await check(changed(TASK_LINK_PARAMS.expires, "soon"))).toEqual({ ok: false, reason: "MalformedLink" });
    expect(await check(new URLSearchParams())).toEqual({ ok: false, reason: "MalformedLink" });
  });
});

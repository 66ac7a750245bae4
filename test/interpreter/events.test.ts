import { describe, expect, it } from "vitest";
import { HOOK_MAX_ATTEMPTS, HOOK_RETRY, newEvents } from "../../src/interpreter/events.ts";
import type { Snapshot } from "../../src/interpreter/protocol.ts";

const snapshot = (events?: string[]): Snapshot => ({ revision: 3, status: "running", open: [], events });

describe("which hook events the interpreter delivers", () => {
  it("delivers the events a reply carries", () => {
    expect(newEvents(snapshot(["a", "b"]), new Set())).toEqual(["a", "b"]);
  });

  it("starts none twice: a retried step hands over events already in flight", () => {
    expect(newEvents(snapshot(["a", "b", "a"]), new Set(["a"]))).toEqual(["b"]);
  });

  it("has nothing to do for a reply without events, or no reply", () => {
    expect(newEvents(snapshot(), new Set())).toEqual([]);
    expect(newEvents(null, new Set())).toEqual([]);
  });

  it("retries with backoff a bounded number of times, never for ever", () => {
    expect(HOOK_RETRY.maximumAttempts).toBe(HOOK_MAX_ATTEMPTS);
    expect(HOOK_MAX_ATTEMPTS).toBeGreaterThan(1);
    expect(HOOK_RETRY.backoffCoefficient).toBeGreaterThan(1);
  });
});

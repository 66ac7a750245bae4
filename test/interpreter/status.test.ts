import { describe, expect, it } from "vitest";
import { settledStatus } from "../../src/interpreter/status.ts";

describe("the status an instance settles in", () => {
  it("stays running while any task is open, whatever closed the last one", () => {
    expect(settledStatus(1, "canceled")).toBe("running");
    expect(settledStatus(3, "succeeded")).toBe("running");
  });

  it("is canceled when a cancellation closed its last open task, and done when work did", () => {
    expect(settledStatus(0, "canceled")).toBe("canceled");
    expect(settledStatus(0, "succeeded")).toBe("done");
  });
});

/** Thrown by `defineWorkflow`: one error naming every problem of the definition. */
export class WorkflowDefinitionError extends Error {
  constructor(
    readonly workflow: string,
    readonly problems: readonly string[],
  ) {
    super(`Workflow "${workflow}" is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "WorkflowDefinitionError";
  }
}

import type { AnyWorkflow, Joeflow } from "joeflow";
import type { Auth } from "./auth.ts";

/** What every route of the web app needs. */
export interface WebDeps {
  readonly joeflow: Joeflow;
  readonly workflows: ReadonlyMap<string, WebWorkflow>;
  readonly auth: Auth;
  /** Where the Temporal UI shows an instance; none when left out. */
  readonly temporalUi?: (temporalWorkflowId: string) => string;
}

/** A workflow as the web app serves it, with its page switches. */
export interface WebWorkflow {
  readonly definition: AnyWorkflow;
  /** joeflow's `detail_view = None`: no workflow page. */
  readonly detailView: boolean;
  /** joeflow's `override_view = None`: no override page. */
  readonly overrideView: boolean;
}

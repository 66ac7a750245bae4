/**
 * Applies one message in one transaction under the instance's lock: the message's own change, the
 * record of the message, and the transition. A typed error rolls it all back and is returned as
 * data; a message applied before (the same id) changes nothing and answers as it did then.
 */
import type { ActivityContext } from "../activities/context.ts";
import { eventsWanted, graphOf, withTitle } from "../activities/context.ts";
import { isDataRefusal, refusedData } from "../activities/refusals.ts";
import { JoeflowError, UnknownWorkflow } from "../errors.ts";
import type { ApplyMessageInput, MessageOutcome } from "../interpreter/protocol.ts";
import { commitTransition, lockInstance, mustSnapshot, readSnapshot } from "../store/instances.ts";
import { findMessage, recordMessage } from "../store/messages.ts";
import type { MessageArgs, MessageName } from "./args.ts";
import type { Applied, MessageTx } from "./define.ts";
import { MESSAGES } from "./registry.ts";

export async function applyMessage(ctx: ActivityContext, input: ApplyMessageInput): Promise<MessageOutcome> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const workflow = await lockInstance(tx, input.workflowId);
      if (!workflow) throw new UnknownWorkflow(input.workflowId);
      const before = await findMessage(tx, workflow.id, input.messageId);
      if (before) return { ok: true as const, snapshot: await mustSnapshot(tx, workflow.id), value: before };
      const at = new Date(input.at);
      const m: MessageTx = {
        ctx,
        tx,
        workflow,
        messageId: input.messageId,
        at,
        graph: () => graphOf(ctx, tx, workflow.graph_version),
        definition: () => ctx.workflows.get(workflow.name),
      };
      const applied = await applyOne(m, input.name, input.args);
      await recordMessage(tx, {
        id: input.messageId,
        workflowId: workflow.id,
        name: input.name,
        taskId: applied.taskId,
        user: input.args.user ?? null,
        at,
      });
      const cause = { user: input.args.user ?? null, message: input.name };
      const transition = {
        ...withTitle(ctx, workflow, applied.transition),
        events: eventsWanted(ctx, workflow.name, cause),
      };
      const snapshot = await commitTransition(tx, workflow.id, transition);
      return { ok: true as const, snapshot, value: { taskId: applied.taskId } };
    });
  } catch (error) {
    // A typed error rolled the message back; so did data the database refused, which no retry heals.
    const typed = isDataRefusal(error) ? refusedData(error) : error;
    if (!(typed instanceof JoeflowError)) throw error; // the database's own trouble: Temporal retries
    return { ok: false, snapshot: await readSnapshot(ctx.db, input.workflowId), error: typed.data };
  }
}

function applyOne<K extends MessageName>(m: MessageTx, name: K, args: MessageArgs[K]): Promise<Applied> {
  return MESSAGES[name].apply(m, args);
}

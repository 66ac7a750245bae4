/** Reading workflow histories: the server's event times tell where a step's time went. */
import type { Client } from "@temporalio/client";
import protos, { type temporal as proto } from "@temporalio/proto";

export type HistoryEvent = proto.api.history.v1.IHistoryEvent;

/** The event types (CommonJS: through the package's default export). */
export const EventType = protos.temporal.api.enums.v1.EventType;

/** When the server recorded the event, in epoch ms. */
export function eventMs(e: HistoryEvent): number {
  const t = e.eventTime!;
  return Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6;
}

export async function historyEvents(client: Client, temporalId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(temporalId).fetchHistory()).events ?? [];
}

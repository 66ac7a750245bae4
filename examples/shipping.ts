import { defineWorkflow, tasks } from "joeflow";
import { z } from "zod";
import { mailer } from "./mailer.ts";

/** The seed's shipping workflow: a clerk checks out, the warehouse ships, the customer may get mail. */
export const shipping = defineWorkflow({
  name: "shipping",
  title: (state) => `Order to ${state.shippingAddress}`,
  state: z.object({
    email: z.email().optional(),
    shippingAddress: z.string().min(1),
    trackingCode: z.string().optional(),
  }),
  tasks: {
    checkout: tasks.startView({ fields: ["shippingAddress", "email"] }),
    // The warehouse sees the address it ships to, and cannot ship without a tracking code.
    ship: tasks.updateView({ fields: ["trackingCode"], show: ["shippingAddress"], required: ["trackingCode"] }),
    hasEmail: ({ state }) => (state.email ? ["sendTrackingCode"] : ["end"]),
    sendTrackingCode: async ({ state }) => {
      await mailer.send(state.email!, "Your tracking code", state.trackingCode ?? "");
    },
    end: () => {},
  },
  edges: [
    ["checkout", "ship"],
    ["ship", "hasEmail"],
    ["hasEmail", "sendTrackingCode"],
    ["hasEmail", "end"],
    ["sendTrackingCode", "end"],
  ],
});

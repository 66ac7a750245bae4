import { defineWorkflow, tasks } from "joeflow";
import { z } from "zod";
import { mailer } from "./mailer.ts";

/** The seed's tutorial: someone picks a user (or none); the user, if any, gets a welcome mail. */
export const welcome = defineWorkflow({
  name: "welcome",
  state: z.object({
    user: z.string().min(1).optional().describe("user"),
  }),
  tasks: {
    start: tasks.startView({ fields: ["user"] }),
    hasUser: ({ state }) => (state.user ? ["sendWelcomeEmail"] : ["end"]),
    sendWelcomeEmail: async ({ state }) => {
      await mailer.send(`${state.user}@example.com`, "Welcome", `Hello ${state.user}!`);
    },
    end: () => {},
  },
  edges: [
    ["start", "hasUser"],
    ["hasUser", "end"],
    ["hasUser", "sendWelcomeEmail"],
    ["sendWelcomeEmail", "end"],
  ],
});

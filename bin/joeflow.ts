#!/usr/bin/env tsx
/** The joeflow command. Run with `npx joeflow ...` (or `npx tsx bin/joeflow.ts ...` in this repository). */
import { RENDER_USAGE, renderCommand } from "../src/render/command.ts";

const USAGE = `usage: joeflow <command> ...

commands:
  render   write workflow graphs as SVG, PNG, DOT or Mermaid

${RENDER_USAGE}`;

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case "render":
    process.exitCode = await renderCommand(args);
    break;
  case "help":
  case "-h":
  case "--help":
    process.stdout.write(USAGE);
    break;
  default:
    process.stderr.write(
      `${command === undefined ? "joeflow: missing command" : `joeflow: unknown command "${command}"`}\n\n${USAGE}`,
    );
    process.exitCode = 2;
}

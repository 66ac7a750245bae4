/**
 * What the browser tests share: Debian's Chromium (or JOEFLOW_CHROMIUM), driven by playwright-core,
 * where the screenshots go, and the demo's web app with its sign-in served on a loopback port.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Joeflow } from "joeflow";
import { createWebApp } from "joeflow/web";
import { type Browser, chromium } from "playwright-core";
import { shipping } from "../../examples/shipping.ts";
import { demoAuth } from "../../web/demo-auth.ts";
import { type Served, serveNode } from "../../web/node.ts";
import { createTemplates } from "../../web/templates.ts";
import { createUrls } from "../../web/urls.ts";

export const CHROMIUM = process.env.JOEFLOW_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
/** No Chromium: the browser tests skip on a newcomer's machine, and fail in CI (CI=true), which installs it. */
export const skipBrowserTests = !haveChromium && !inCi;

/** A headless Chromium that talks to nobody but our server; the screenshots' folder made. */
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`no Chromium at ${CHROMIUM}: CI installs it (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The demo's web app (its sign-in included) for the shipping workflow, on a loopback port. */
export async function serveDemo(joeflow: Joeflow): Promise<Served> {
  const signIn = demoAuth();
  const app = createWebApp({
    joeflow,
    workflows: [shipping],
    auth: signIn.auth,
    signInUrl: signIn.signInUrl,
    signOutUrl: signIn.signOutUrl,
    extend: (app) => signIn.routes(app, createTemplates(), createUrls()),
  });
  return await serveNode(app, { port: 0, hostname: "127.0.0.1" });
}

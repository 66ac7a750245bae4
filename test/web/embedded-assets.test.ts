/**
 * The templates and static files travel inside a module (web/embedded-assets.ts) so that the web app works
 * from https: URLs too (JSR). That module is generated from web/templates/ and web/static/: it must say what
 * the files say, or a change to a template would not show.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EMBEDDED_ASSETS_FILE, embeddedAssetsSource, templateLiteral } from "../../scripts/embed-assets.ts";
import { STATIC_FILES, TEMPLATES } from "../../web/embedded-assets.ts";

describe("embedded templates and static files", () => {
  it("match web/templates/ and web/static/ (else run `npm run embed`)", () => {
    expect(readFileSync(EMBEDDED_ASSETS_FILE, "utf8")).toBe(embeddedAssetsSource());
  });

  it("read back exactly as the files, backslashes, backticks and ${ included", async () => {
    const css = readFileSync(new URL("../../web/static/joeflow.css", import.meta.url), "utf8");
    expect(STATIC_FILES["joeflow.css"]).toBe(css);
    const form = readFileSync(new URL("../../web/templates/workflow/form.eta", import.meta.url), "utf8");
    expect(TEMPLATES["workflow/form"]).toBe(form);
    const tricky = ["a \\ b ` c $", "{d} \\$", "{e}"].join("");
    const module: { default: string } = await import(
      `data:text/javascript,${encodeURIComponent(`export default ${templateLiteral(tricky)}`)}`
    );
    expect(module.default).toBe(tricky);
  });
});

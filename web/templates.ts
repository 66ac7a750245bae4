import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { Eta } from "eta";
import { TEMPLATES } from "./embedded-assets.ts";

/** How a found template is named to Eta: ours by this prefix and name, the user's by its file path. */
const OURS = "joeflow:";

/**
 * Eta templates found in joeflow's order, each from the user's folder first, then ours: so one
 * template can be replaced alone. `render(["shipping/ship", "shipping/form", "workflow/form"], data)`.
 * Ours are embedded in the code (web/embedded-assets.ts), so they travel with the modules, also from https:.
 */
export interface Templates {
  /** `fragment`: without the layout (live pages fetch their sections so); "layout" renders `it.body` alone. */
  render(candidates: readonly string[], data: object, options?: { fragment?: boolean }): string;
}

export function createTemplates(userDir?: string): Templates {
  const folder = userDir && resolve(userDir);
  const find = (name: string): string | undefined => {
    if (isAbsolute(name) && existsSync(name)) return name;
    const bare = name.replace(/\.eta$/, "");
    if (folder) {
      const file = join(folder, `${bare}.eta`);
      if (file.startsWith(folder) && existsSync(file)) return file;
    }
    return Object.hasOwn(TEMPLATES, bare) ? `${OURS}${bare}` : undefined;
  };
  const found = new Map<string, string | undefined>();
  const lookup = (name: string) => {
    if (!found.has(name)) found.set(name, find(name));
    return found.get(name);
  };
  // Two engines, one for whole pages and one for fragments, whose "layout" is `it.body` alone.
  const engine = (layout: string) => {
    const eta = new Eta({ cache: true, autoEscape: true, autoTrim: false });
    eta.resolvePath = (template: string) => {
      const key = lookup(template === "layout" ? layout : template);
      if (!key) throw new Error(`No template "${template}" in ${folder ? `${folder} or ` : ""}joeflow's own`);
      return key;
    };
    eta.readFile = (key: string) =>
      key.startsWith(OURS) ? (TEMPLATES[key.slice(OURS.length)] as string) : readFileSync(key, "utf8");
    return eta;
  };
  const [page, fragment] = [engine("layout"), engine("live/fragment")];
  return {
    render(candidates, data, options = {}) {
      const name = candidates.find((candidate) => lookup(candidate) !== undefined);
      if (!name) throw new Error(`None of the templates ${candidates.join(", ")} exists`);
      return (options.fragment ? fragment : page).render(name, data);
    },
  };
}

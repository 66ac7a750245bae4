import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Eta } from "eta";

const OURS = fileURLToPath(new URL("./templates", import.meta.url));

/**
 * Eta templates found in joeflow's order, each from the user's folder first, then ours: so one
 * template can be replaced alone. `render(["shipping/ship", "shipping/form", "workflow/form"], data)`.
 */
export interface Templates {
  /** `fragment`: without the layout (live pages fetch their sections so); "layout" renders `it.body` alone. */
  render(candidates: readonly string[], data: object, options?: { fragment?: boolean }): string;
}

export function createTemplates(userDir?: string): Templates {
  const folders = userDir ? [resolve(userDir), OURS] : [OURS];
  const find = (name: string): string | undefined => {
    if (isAbsolute(name) && existsSync(name)) return name;
    for (const folder of folders) {
      const file = join(folder, `${name.replace(/\.eta$/, "")}.eta`);
      if (file.startsWith(folder) && existsSync(file)) return file;
    }
    return undefined;
  };
  const found = new Map<string, string | undefined>();
  const lookup = (name: string) => {
    if (!found.has(name)) found.set(name, find(name));
    return found.get(name);
  };
  // Two engines, one for whole pages and one for fragments, whose "layout" is `it.body` alone.
  const engine = (layout: string) => {
    const eta = new Eta({ views: OURS, cache: true, autoEscape: true, autoTrim: false });
    eta.resolvePath = (template: string) => {
      const file = lookup(template === "layout" ? layout : template);
      if (!file) throw new Error(`No template "${template}" in ${folders.join(" or ")}`);
      return file;
    };
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

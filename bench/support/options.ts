/**
 * The benchmarks' command line: `--name value` pairs and bare `--flag`s, read straight from
 * process.argv (no parser library: the benches take a handful of numbers).
 */

/** `--name N`, a number >= 0, or `fallback` when the option is not given. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} wants a number`);
  return value;
}

/** `--name a,b,c`, or `fallback` when the option is not given. */
export function listOption(name: string, fallback: string[]): string[] {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** `--name word`, upper-cased, or `fallback` when the option is not given. */
export function wordOption(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : String(process.argv[i + 1]).toUpperCase();
}

/** Whether `--name` is on the command line. */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

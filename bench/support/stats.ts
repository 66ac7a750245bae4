/** Percentiles and the number formats both benches print. */

/** The nearest-rank percentile (no interpolation): a value that was measured. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
export const mean = (values: readonly number[]) => (values.length ? sum(values) / values.length : NaN);

/** NaN (no values) prints as "n/a" in all of these. */
export const ms = (v: number) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(1)} ms`);
export const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;
export const num = (v: number, digits = 1) => (Number.isNaN(v) ? "n/a" : v.toFixed(digits));
export const pct = (v: number) => (Number.isNaN(v) ? "n/a" : `${(v * 100).toFixed(0)} %`);

/** "p50 … ms  p90 … ms  p99 … ms  mean … ms  (n=…)", or with other percentiles. */
export function dist(values: readonly number[], percentiles: readonly number[] = [50, 90, 99]): string {
  const ps = percentiles.map((p) => `p${p} ${ms(percentile(values, p))}`).join("  ");
  return `${ps}  mean ${ms(mean(values))}  (n=${values.length})`;
}

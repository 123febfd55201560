/**
 * Alpha spending over repeated looks. A step is judged once a minute for as long as it lasts, so
 * a test run at a fixed α on every look would, sooner or later, cross by chance. The k-th look
 * (k = 1, 2, …) therefore runs at α/(k(k + 1)); these sum to α over any number of looks, so the
 * chance that ANY look of the step crosses a boundary wrongly is at most α (a union bound, valid
 * whatever the dependence between looks: windows overlap, each look sees all earlier data).
 *
 * Why not only a mixture martingale (stats/mixture.ts): the boundaries stay the textbook exact
 * tests (Clopper–Pearson, Welch t) at every n, including n = 0 and 1, and they are the sharper
 * test on the first few looks, where gross regressions are caught; the price is a bar that rises
 * with every look (z ≈ 3.1 at look 10 for α = 0.01). The judge therefore gives a tenth of each α to
 * these looks and nine tenths to the mixture, which needs no look count (analysis.ts).
 */
export function lookAlpha(alpha: number, look: number): number {
  const k = Math.max(1, Math.floor(look));
  return alpha / (k * (k + 1));
}

/**
 * P(X ≥ k) for X ~ Poisson(lambda): the one-sided p-value of seeing k or more events where lambda
 * were expected. Computed as 1 − P(X ≤ k − 1) with the terms summed in log space (stable for the
 * counts a week of cases in one cell produces; k is capped by the caller's data, not here).
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (!Number.isFinite(k) || !Number.isFinite(lambda) || lambda < 0) return Number.NaN;
  if (k <= 0) return 1;
  if (lambda === 0) return 0;
  let term = -lambda; // log P(X = 0)
  let cdf = Math.exp(term);
  for (let i = 1; i < k; i++) {
    term += Math.log(lambda) - Math.log(i);
    cdf += Math.exp(term);
  }
  return Math.min(1, Math.max(0, 1 - cdf));
}

/**
 * Privacy constants for every figure about survey respondents (DESIGN.md §3), shared by the
 * server that enforces them and the UI that explains them.
 */
export const PRIVACY = {
  /** Minimum cell size unless a network sets its own. */
  defaultK: 10,
  /** The range a network may choose from; a child organisation may raise it, never lower it. */
  minK: 5,
  maxK: 30,
  /** Groups smaller than this show extreme percentages as "5 % or less" / "95 % or more". */
  topBottomCodeBelow: 40,
  bottomPercent: 5,
  topPercent: 95,
} as const;

/**
 * The minimum cell size at an organisation: the network's k (kept within 5–30), raised by any
 * organisation on the way down, never lowered.
 */
export function effectiveK(networkK: number | null | undefined, raisedBelow: (number | null | undefined)[] = []): number {
  const base = Math.min(PRIVACY.maxK, Math.max(PRIVACY.minK, networkK ?? PRIVACY.defaultK));
  return raisedBelow.reduce<number>((k, r) => (r != null && r > k ? Math.min(PRIVACY.maxK, r) : k), base);
}

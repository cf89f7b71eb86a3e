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

// Types for scripts/respondent-size.mjs, for TypeScript callers (the benchmark).
export declare const RESPONDENT_BUDGET_BYTES: number;
/** Gzipped bytes of every script respondent.html loads, from the build manifest; throws when not built. */
export declare function respondentBundleBytes(outDir?: string): { files: { name: string; gzipBytes: number }[]; totalGzipBytes: number };
export declare function describeRespondentSize(r?: ReturnType<typeof respondentBundleBytes>): string;

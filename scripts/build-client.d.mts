/** Builds the browser app into dist/client when a source is newer than the build; true when it built. */
export function ensureClientBuilt(): boolean;

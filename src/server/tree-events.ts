import type { DbOrTx } from './db/client.js';

/** An organisation (and everything below it) moved under a new parent. */
export interface TreeMove {
  orgId: number;
  kind: string;
  oldPath: string;
  newPath: string;
  oldParentId: number | null;
  newParentId: number;
}

type Listener = (tx: DbOrTx, move: TreeMove) => Promise<void>;
const listeners = new Set<Listener>();

/**
 * Lets a feature keep data derived from the tree (roll-ups keyed by path) in step with moves,
 * inside the move's own transaction, without the organisations feature knowing about it.
 */
export function onTreeMove(listener: Listener): void {
  listeners.add(listener);
}

export async function emitTreeMove(tx: DbOrTx, move: TreeMove): Promise<void> {
  for (const listener of listeners) await listener(tx, move);
}

/** Organisations at or below `path` were archived, restored or re-parented in bulk (an import). */
export interface SubtreeChange {
  path: string;
}
type SubtreeListener = (tx: DbOrTx, change: SubtreeChange) => Promise<void>;
const statusListeners = new Set<SubtreeListener>();

/** Like `onTreeMove`, for archiving, restoring and directory imports. */
export function onSubtreeChange(listener: SubtreeListener): void {
  statusListeners.add(listener);
}

export async function emitSubtreeChange(tx: DbOrTx, change: SubtreeChange): Promise<void> {
  for (const listener of statusListeners) await listener(tx, change);
}

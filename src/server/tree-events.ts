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

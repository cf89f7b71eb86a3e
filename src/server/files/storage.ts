import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where uploaded files live. Keys are made here (random), never from a user's file name, so no
 * request can reach outside the folder.
 */
export interface FileStorage {
  put(body: Buffer): Promise<string>;
  get(key: string): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files in a folder on disk, two levels of sub-folders by key so no folder grows too large. */
export function diskStorage(root: string): FileStorage {
  const where = (key: string) => {
    if (!KEY.test(key)) throw new Error('Not a file key');
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    async put(body) {
      const key = randomUUID();
      const file = where(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside then renamed, so a crash never leaves half a file under a stored key.
      await writeFile(`${file}.part`, body);
      await rename(`${file}.part`, file);
      return key;
    },
    async get(key) {
      try {
        return await readFile(where(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async remove(key) {
      await rm(where(key), { force: true });
    },
  };
}

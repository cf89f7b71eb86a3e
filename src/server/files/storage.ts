import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';

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

/** Where an S3-compatible bucket is and how to sign for it. */
export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2…), addressed path-style
 * (`<endpoint>/<bucket>/<key>`), each request signed with AWS Signature Version 4.
 */
export function s3Storage(s: S3Settings): FileStorage {
  const client = new AwsClient({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, region: s.region, service: 's3' });
  const url = (key: string) => {
    if (!KEY.test(key)) throw new Error('Not a file key');
    return `${s.endpoint.replace(/\/$/, '')}/${encodeURIComponent(s.bucket)}/${key}`;
  };
  const fail = async (what: string, res: Response) => new Error(`File storage ${what} failed: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return {
    async put(body) {
      const key = randomUUID();
      const res = await client.fetch(url(key), { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': 'application/octet-stream' } });
      if (!res.ok) throw await fail('upload', res);
      await res.arrayBuffer();
      return key;
    },
    async get(key) {
      const res = await client.fetch(url(key), { method: 'GET' });
      if (res.status === 404) return null;
      if (!res.ok) throw await fail('download', res);
      return Buffer.from(await res.arrayBuffer());
    },
    async remove(key) {
      const res = await client.fetch(url(key), { method: 'DELETE' });
      if (!res.ok && res.status !== 404) throw await fail('removal', res);
      await res.arrayBuffer();
    },
  };
}

/** The storage the settings choose: an S3-compatible bucket when one is configured, else a folder. */
export function storageFor(config: { fileDir: string; s3: S3Settings | null }): FileStorage {
  return config.s3 ? s3Storage(config.s3) : diskStorage(config.fileDir);
}

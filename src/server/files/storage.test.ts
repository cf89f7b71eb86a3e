import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { diskStorage, type FileStorage, s3Storage } from './storage.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Checks an AWS Signature Version 4 the way S3 does, written from AWS's published algorithm
 * (not from the library that signs): canonical request, string to sign, derived key.
 */
function signatureValid(req: IncomingMessage, body: Buffer, secret: string): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  if (!auth) return false;
  const [, , day, region, signedHeaders, signature] = auth;
  const amzDate = String(req.headers['x-amz-date']);
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(body));
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return false;
  const url = new URL(req.url!, 'http://x');
  const query = [...url.searchParams.entries()].sort().map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const headers = signedHeaders.split(';').map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return hmac(key, toSign).toString('hex') === signature;
}

/** A small S3-compatible endpoint: one bucket, path-style keys, every request's signature checked. */
function fakeBucket(bucket: string, secret: string): Promise<{ server: Server; url: string; objects: Map<string, Buffer>; rejected: () => number }> {
  const objects = new Map<string, Buffer>();
  let rejected = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!signatureValid(req, body, secret)) {
        rejected++;
        res.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
        return;
      }
      const [, b, key] = /^\/([^/]+)\/(.+)$/.exec(new URL(req.url!, 'http://x').pathname) ?? [];
      if (b !== bucket) return void res.writeHead(404).end('<Error><Code>NoSuchBucket</Code></Error>');
      if (req.method === 'PUT') {
        objects.set(key, body);
        return void res.writeHead(200).end();
      }
      if (req.method === 'GET') return void (objects.has(key) ? res.writeHead(200).end(objects.get(key)) : res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>'));
      if (req.method === 'DELETE') {
        objects.delete(key);
        return void res.writeHead(204).end();
      }
      res.writeHead(405).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${addr.port}`, objects, rejected: () => rejected });
  }));
}

/** What every storage must do: keep bytes under a key it makes, give them back, forget them. */
async function roundTrip(storage: FileStorage) {
  const bytes = Buffer.from('%PDF-1.4 a school’s referral map');
  const key = await storage.put(bytes);
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  expect((await storage.get(key))!.equals(bytes)).toBe(true);
  await storage.remove(key);
  expect(await storage.get(key)).toBeNull();
  await expect(storage.get('../../etc/passwd')).rejects.toThrow('Not a file key');
  return key;
}

describe('file storage', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'schoolwell-storage-'));
  let bucket: Awaited<ReturnType<typeof fakeBucket>>;
  beforeAll(async () => {
    bucket = await fakeBucket('library', 'secret-key');
  });
  afterAll(() => {
    bucket.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on disk, under keys it makes, with nothing half-written left behind', async () => {
    const key = await roundTrip(diskStorage(dir));
    expect(readdirSync(path.join(dir, key.slice(0, 2)))).toEqual([]);
  });

  it('in an S3-compatible bucket, every request signed with Signature Version 4', async () => {
    const storage = s3Storage({ endpoint: bucket.url, bucket: 'library', region: 'ca-central-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-key' });
    await roundTrip(storage);
    const kept = await storage.put(Buffer.from('kept'));
    expect(bucket.objects.get(kept)!.toString()).toBe('kept');
    expect(bucket.rejected()).toBe(0);
  });

  it('reports a refused request instead of losing the file silently', async () => {
    const wrong = s3Storage({ endpoint: bucket.url, bucket: 'library', region: 'ca-central-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-key' });
    await expect(wrong.put(Buffer.from('x'))).rejects.toThrow(/upload failed: 403/);
    expect(bucket.rejected()).toBe(1);
  });

  it('is chosen by settings, which name what is missing', () => {
    expect(loadConfig({ DATA_DIR: '/srv/sw' })).toMatchObject({ fileDir: '/srv/sw/files', s3: null });
    expect(loadConfig({ S3_ENDPOINT: 'https://s3.example.org', S3_BUCKET: 'schoolwell', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' }).s3).toEqual({ endpoint: 'https://s3.example.org', bucket: 'schoolwell', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b' });
    expect(() => loadConfig({ S3_BUCKET: 'schoolwell' })).toThrow(/S3_ENDPOINT: set it too[\s\S]*S3_SECRET_ACCESS_KEY/);
  });
});

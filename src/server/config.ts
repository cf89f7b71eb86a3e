import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  FILE_STORAGE_DIR: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  SEED_DEMO: bool.default(true),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().default('Schoolwell <no-reply@schoolwell.invalid>'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  TRUST_PROXY: bool.default(false),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  SURVEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  SURVEY_ROLLUP_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** Where uploaded files (resource library) are kept; `<DATA_DIR>/files` unless set. */
  fileDir: string;
  /** An S3-compatible bucket for uploaded files instead of `fileDir`, when S3_ENDPOINT and S3_BUCKET are set. */
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
  databaseUrl?: string;
  seedDemo: boolean;
  smtpUrl?: string;
  mailFrom: string;
  sessionTtlHours: number;
  trustProxy: boolean;
  loginRateLimitPerMinute: number;
  /** Survey requests per minute per code (a whole school shares one open link and often one IP address). */
  surveyRateLimitPerMinute: number;
  /** How often new survey responses are counted into the report roll-ups. */
  surveyRollupIntervalMs: number;
  logLevel: string;
  /** The dev outbox (`/dev/outbox`) exists only outside production. */
  devOutbox: boolean;
}

/**
 * The only reader of `process.env`. A wrong value stops the process with a message naming the
 * variable to fix.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Schoolwell cannot start: fix these settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const s3Missing = e.S3_ENDPOINT || e.S3_BUCKET ? (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]) : [];
  if (s3Missing.length) throw new Error(`Schoolwell cannot start: fix these settings:\n${s3Missing.map((k) => `  ${k}: set it too, to keep files in an S3-compatible bucket (or unset the other S3_ settings)`).join('\n')}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: e.DATA_DIR,
    fileDir: e.FILE_STORAGE_DIR ?? `${e.DATA_DIR.replace(/\/$/, '')}/files`,
    s3: e.S3_ENDPOINT && e.S3_BUCKET ? { endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET, region: e.S3_REGION, accessKeyId: e.S3_ACCESS_KEY_ID ?? '', secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? '' } : null,
    databaseUrl: e.DATABASE_URL,
    seedDemo: e.SEED_DEMO,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    trustProxy: e.TRUST_PROXY,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    surveyRateLimitPerMinute: e.SURVEY_RATE_LIMIT_PER_MINUTE,
    surveyRollupIntervalMs: e.SURVEY_ROLLUP_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    devOutbox: e.NODE_ENV !== 'production',
  };
}

/** A config for tests and tools: defaults plus overrides, never the process environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), ...overrides };
}

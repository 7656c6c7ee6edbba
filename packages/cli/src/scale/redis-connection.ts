import { Redis } from 'ioredis';
import { UsageError } from '../io.js';

/** How long a first connection may take before Redis counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

/** --redis checked as a URL BullMQ can use: redis://[user:password@]host[:port][/db] or rediss:// (TLS). */
function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--redis ${url}: not a URL; give redis://HOST:PORT, e.g. redis://127.0.0.1:6379`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new UsageError(`--redis ${url}: give a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379`);
  return url;
}

/**
 * A connection to the Redis of --redis, checked before any work: a bad URL or
 * a server that does not answer a PING within a few seconds is one line
 * (exit 2), instead of ioredis's endless reconnecting. `blocking` connections
 * (a BullMQ worker's) must never give up on a command, as BullMQ requires;
 * the others fail a command after one retry, so a command line does not hang.
 */
export async function connectRedis(url: string, o: { blocking?: boolean } = {}): Promise<Redis> {
  const checked = checkedUrl(url);
  const probe = new Redis(checked, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The cause (ECONNREFUSED, a DNS failure) comes as an 'error' event; connect() then only says the connection closed.
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new UsageError(`cannot reach Redis at ${url} (${(cause ?? (error as Error)).message || 'no answer'}): start redis-server there (or fix --redis), then run the command again`);
  } finally {
    probe.disconnect();
  }
  const client = new Redis(checked, { maxRetriesPerRequest: o.blocking ? null : 1, connectTimeout: CONNECT_TIMEOUT_MS });
  // Errors after the check (Redis restarting) are retried by ioredis; BullMQ reports what it cannot retry.
  client.on('error', () => undefined);
  return client;
}

import { spawn } from 'node:child_process';
import { freePort } from './free-port.js';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Debian's redis-server on a free port of 127.0.0.1, in memory only (no
 * snapshot, no append-only file), for one test file or benchmark. Ready once it says it
 * accepts connections; stopped with SIGTERM by the test's teardown.
 */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const server = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((done) => server.on('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (log.includes('Ready to accept connections')) ready();
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => fail(new Error(`redis-server exited (${code}) before it was ready: ${log.slice(-2000)}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

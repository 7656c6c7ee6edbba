import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ProviderName } from './providers.js';
import { probeModel } from './probe-model.js';

/** What a provider probe found: it starts, or why not. */
export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

// Runs in a child process: create a one-node session on the provider and report.
const CHILD = `
const [ortUrl, provider, model] = process.argv.slice(1);
const ortModule = await import(ortUrl);
const ort = ortModule.default ?? ortModule;
ort.env.logLevel = 'fatal';
try {
  const session = await ort.InferenceSession.create(Buffer.from(model, 'base64'), { executionProviders: [provider] });
  await session.release();
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, reason: String(error && error.message || error).split('\\n')[0] }));
}
`;

/**
 * Probes a GPU execution provider in a child process with a time limit: the
 * provider's native code may print to stderr, hang on a broken driver, or
 * abort the process, and none of that may reach the caller.
 */
export function probeProviderInChild(provider: ProviderName, options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {}): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ortUrl = pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
  const model = Buffer.from(probeModel()).toString('base64');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ortUrl, provider, model], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout) as ProbeResult);
      } catch {
        const why = signal === 'SIGKILL' ? `no answer within ${timeoutMs / 1000} s` : `the probe process exited with ${signal ?? `code ${code}`}`;
        const detail = stderr.trim().split('\n').filter(Boolean).slice(-1)[0];
        resolve({ ok: false, reason: detail ? `${why}: ${detail}` : why });
      }
    });
  });
}

import { spawn } from 'node:child_process';

/** What the probe of a native tfjs package found. */
export type NativeProbe =
  | { readonly ok: true; readonly gpu: boolean; readonly core: string }
  | { readonly ok: false; readonly reason: string };

// Runs in a child process: load the package, make 'tensorflow' the backend, run one op, report.
const CHILD = `
const [url] = process.argv.slice(1);
try {
  const m = await import(url);
  const tf = m.default ?? m;
  if (!(await tf.setBackend('tensorflow'))) throw new Error("the 'tensorflow' backend did not initialise");
  tf.add(tf.scalar(1), tf.scalar(2)).dataSync();
  process.stdout.write(JSON.stringify({ ok: true, gpu: Boolean(tf.backend().isUsingGpuDevice), core: tf.version_core }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, reason: String(error && error.message || error).split('\\n')[0] }));
}
`;

/**
 * Loads tfjs-node or tfjs-node-gpu in a child process with a time limit
 * first: libtensorflow logs to stderr, and a broken CUDA setup can hang or
 * abort the process, none of which may reach the caller.
 */
export function probeNativeInChild(packageUrl: string, timeoutMs = 60_000): Promise<NativeProbe> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, packageUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout) as NativeProbe);
      } catch {
        const why = signal === 'SIGKILL' ? `no answer within ${timeoutMs / 1000} s` : `the probe process exited with ${signal ?? `code ${code}`}`;
        const detail = stderr.trim().split('\n').filter(Boolean).slice(-1)[0];
        resolve({ ok: false, reason: detail ? `${why}: ${detail}` : why });
      }
    });
  });
}

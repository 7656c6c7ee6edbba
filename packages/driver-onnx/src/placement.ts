import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderName } from './providers.js';

/** A node of a lowered model that ONNX Runtime assigned to its CPU provider. */
export interface CpuNode {
  /** The ONNX op ('Mod', 'ArgMax'). */
  readonly opType: string;
  /** The ONNX node's name: '<ltssl op>#<node id>/<ONNX op>_<n>' for nodes a lowering added. */
  readonly name: string;
  /** The Program op whose lowering added it ('argMax'), when the name says. */
  readonly source?: string;
}

export interface Placement {
  /** Nodes ORT assigned, in all. */
  readonly total: number;
  readonly cpu: readonly CpuNode[];
}

// In a child process: create the session with ORT's verbose log on stderr, where the
// node placements are written (ORT's Node binding exposes them nowhere else).
const CHILD = `
const [ortUrl, provider, file] = process.argv.slice(1);
const ortModule = await import(ortUrl);
const ort = ortModule.default ?? ortModule;
ort.env.logLevel = 'verbose';
const { readFileSync } = await import('node:fs');
const session = await ort.InferenceSession.create(readFileSync(file), { executionProviders: [provider], logSeverityLevel: 0, logVerbosityLevel: 0 });
await session.release();
`;

/**
 * Parses ORT's "Node placements" block: either "All nodes placed on [EP]. Number of
 * nodes: N", or per provider "Node(s) placed on [EP]. Number of nodes: N" followed
 * by N lines "  OpType (name)".
 */
export function parsePlacements(log: string): Placement | undefined {
  const lines = log.split('\n').map((l) => l.replace(/^.*VerifyEachNodeIsAssignedToAnEp\]\s?/, ''));
  const start = lines.findIndex((l) => l.trim() === 'Node placements');
  if (start < 0) return undefined;
  const all = /All nodes placed on \[(\w+)\]\. Number of nodes: (\d+)/.exec(lines[start + 1] ?? '');
  if (all) return { total: Number(all[2]), cpu: all[1] === 'CPUExecutionProvider' ? [{ opType: '(every node)', name: '' }] : [] };
  let total = 0;
  const cpu: CpuNode[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const group = /^\s*Node\(s\) placed on \[(\w+)\]\. Number of nodes: (\d+)/.exec(lines[i]!);
    if (!group) break;
    const count = Number(group[2]);
    total += count;
    for (let k = 1; k <= count; k++) {
      const node = /^\s*(\S+) \((.*)\)\s*$/.exec(lines[i + k] ?? '');
      if (!node || group[1] !== 'CPUExecutionProvider') continue;
      const source = /^([A-Za-z0-9]+)#\d+\//.exec(node[2]!)?.[1];
      cpu.push({ opType: node[1]!, name: node[2]!, ...(source ? { source } : {}) });
    }
    i += count;
  }
  return { total, cpu };
}

// Per model and provider: a study compiles the same programs cell after cell.
const probed = new Map<string, Promise<Placement>>();

/**
 * Where ONNX Runtime runs each node of `model` on a GPU provider: the session is
 * created once more in a child process with ORT's verbose log, whose placement
 * block is parsed. Costs one session creation per distinct model (remembered
 * for the process); the driver calls it on demand.
 */
export function probePlacement(model: Uint8Array, provider: Exclude<ProviderName, 'cpu'>, timeoutMs = 120_000): Promise<Placement> {
  const key = `${provider}:${createHash('sha256').update(model).digest('hex')}`;
  let placement = probed.get(key);
  if (!placement) {
    placement = probeInChild(model, provider, timeoutMs);
    placement.catch(() => probed.delete(key));
    probed.set(key, placement);
  }
  return placement;
}

async function probeInChild(model: Uint8Array, provider: Exclude<ProviderName, 'cpu'>, timeoutMs: number): Promise<Placement> {
  const dir = await mkdtemp(join(tmpdir(), 'ltssl-onnx-placement-'));
  try {
    const file = join(dir, 'model.onnx');
    await writeFile(file, model);
    const ortUrl = pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ortUrl, provider, file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(text);
        else reject(new Error(`the placement probe exited with ${signal ?? `code ${code}`}: ${text.trim().split('\n').slice(-1)[0] ?? ''}`));
      });
    });
    const placement = parsePlacements(stderr);
    if (!placement) throw new Error('ONNX Runtime logged no node placements');
    return placement;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One line for a --verbose run: how many nodes fall back, by op. */
export function describePlacement(placement: Placement, provider: string): string {
  if (placement.cpu.length === 0) return `ONNX Runtime places ${placement.total === 1 ? 'its one node' : `all ${placement.total} nodes`} on its ${provider} provider`;
  const byOp = new Map<string, number>();
  for (const n of placement.cpu) {
    const key = n.source ? `${n.opType} (from ${n.source})` : n.opType;
    byOp.set(key, (byOp.get(key) ?? 0) + 1);
  }
  const list = [...byOp].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join(', ');
  return `ONNX Runtime runs ${placement.cpu.length} of ${placement.total} nodes on its CPU provider instead of ${provider}: ${list}`;
}

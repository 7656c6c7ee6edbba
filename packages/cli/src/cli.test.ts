import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './test-io.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('ltssl CLI', () => {
  it('drivers lists the reference driver as available, with its device', async () => {
    const { code, stdout, stderr } = await cli('drivers');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^reference\s+0\s+available\s+CPU, TypeScript interpreter/m);
    expect(stdout).toMatch(/^onnx\s+50\s+available\s+CPU, ONNX Runtime/m);
    expect(stdout).toMatch(/^onnx-cuda\s+90\s+unavailable\s+driver 'onnx-cuda' cannot start: /m);
    expect(stdout).toContain('(untested: no CUDA machine was available to this project)');
    // auto takes the highest-priority driver that starts: no GPU here, so the ONNX CPU provider.
    expect(stdout).toContain('--backend auto runs on: onnx (');
  });

  it('drivers --json is machine readable', async () => {
    const { code, stdout } = await cli('drivers', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { selected: string; drivers: { name: string; available: boolean }[] };
    expect(parsed.selected).toBe('onnx');
    expect(parsed.drivers).toContainEqual(expect.objectContaining({ name: 'reference', available: true }));
  });

  it('an unknown backend is one line naming the choices, exit 2', async () => {
    const { code, stdout, stderr } = await cli('drivers', '--backend', 'cuda');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("ltssl: unknown backend 'cuda'; choose one of: auto, tfjs-node-gpu, onnx-cuda, webgpu-gpu, onnx-webgpu, onnx, tfjs-node, tfjs-wasm, tfjs, webgpu, reference\n");
  });

  it('an unknown flag or command is one line naming the choices, exit 2', async () => {
    const flag = await cli('drivers', '--gpu');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("ltssl: unknown option '--gpu'; options of 'drivers': --json, --backend, --driver-module, --help\n");
    const command = await cli('trian');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^ltssl: unknown command 'trian'; commands: (\w+, )*drivers(, \w+)*\n$/);
    const missing = await cli('drivers', '--backend');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("ltssl: option '--backend <name>' argument missing\n");
  });

  it('--driver-module loads an external driver bound through the global token', async () => {
    const { code, stdout } = await cli('drivers', '--driver-module', fixture('external-driver.mjs'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^external-demo\s+10\s+unavailable\s+driver 'external-demo' cannot start: no demo accelerator on this machine$/m);
    // auto skips the unavailable driver and lands on the first that starts.
    expect(stdout).toContain('--backend auto runs on: onnx (');
    const named = await cli('drivers', '--driver-module', fixture('external-driver.mjs'), '--backend', 'external-demo');
    expect(named.stdout).toContain('--backend external-demo cannot start here');
  });

  it('--driver-module refuses a module without a ContainerModule, or one that does not exist', async () => {
    const wrong = await cli('drivers', '--driver-module', fixture('not-a-driver.mjs'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^ltssl: --driver-module '.*not-a-driver\.mjs' must export an inversify ContainerModule \(as its default export\); it exports none\n$/);
    const absent = await cli('drivers', '--driver-module', '@ltssl/no-such-driver');
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/^ltssl: --driver-module '@ltssl\/no-such-driver' could not be loaded: /);
  });

  it('prints its version', async () => {
    const { code, stdout } = await cli('--version');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('prints help and exits 2 without a command', async () => {
    const { code, stdout } = await cli();
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: ltssl');
  });
});

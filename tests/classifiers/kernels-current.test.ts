import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelModuleText } from '../../scripts/compile-kernel.js';
import { KERNELS } from '../../scripts/kernels.js';

const root = new URL('../../', import.meta.url);

describe('WebAssembly kernels', () => {
  for (const k of KERNELS) {
    it(`${k.module} holds what ${k.source} compiles to (else run npm run build:kernels)`, async () => {
      const wasm = await compileKernel(fileURLToPath(new URL(k.source, root)));
      const committed = readFileSync(new URL(k.module, root), 'utf8');
      expect(committed).toBe(kernelModuleText(k.exportName, k.source, wasm));
    }, 60_000);
  }
});

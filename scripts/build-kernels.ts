// Compiles the WebAssembly kernels (run: npm run build:kernels) and writes their bytes into the
// TypeScript modules that load them. A test fails when a committed module is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KERNELS } from './kernels.js';
import { compileKernel, kernelModuleText } from './compile-kernel.js';

for (const k of KERNELS) {
  const wasm = await compileKernel(fileURLToPath(new URL(`../${k.source}`, import.meta.url)));
  const out = new URL(`../${k.module}`, import.meta.url);
  writeFileSync(out, kernelModuleText(k.exportName, k.source, wasm));
  console.log(`wrote ${out.pathname} (${wasm.length} bytes of WebAssembly)`);
}

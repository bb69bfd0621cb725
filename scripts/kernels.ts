/** The WebAssembly kernels: AssemblyScript source → the module that carries the bytes. */
export const KERNELS = [
  {
    source: 'classifiers/kernels/linear-kernel.ts',
    module: 'src/classifiers/linear/linear-kernel-wasm.ts',
    exportName: 'LINEAR_KERNEL_WASM',
  },
  {
    source: 'classifiers/kernels/lexicon-kernel.ts',
    module: 'src/classifiers/lexicon/lexicon-kernel-wasm.ts',
    exportName: 'LEXICON_KERNEL_WASM',
  },
] as const;

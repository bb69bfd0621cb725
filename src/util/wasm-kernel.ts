/**
 * Loading the WebAssembly kernels (classifiers/kernels/, compiled into base64 modules by
 * `npm run build:kernels`). Typed locally: the project's `lib` setting has no DOM types.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export const WASM_PAGE = 65536;

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
const compiled = new Map<string, object | null>();

/**
 * A new instance of the kernel whose bytes `base64` holds, or undefined where WebAssembly is
 * missing or not allowed to compile or instantiate (an embedder's policy): callers then keep
 * their JavaScript path. Compiled once per kernel.
 */
export function instantiateWasmKernel<T>(base64: string): T | undefined {
  if (!wasmApi) return undefined;
  let mod = compiled.get(base64);
  if (mod === undefined) {
    mod = null;
    try {
      const bytes = Buffer.from(base64, 'base64');
      if (wasmApi.validate(bytes)) mod = new wasmApi.Module(bytes);
    } catch {
      // Not allowed to compile here: the JavaScript path serves.
    }
    compiled.set(base64, mod);
  }
  if (mod === null) return undefined;
  try {
    return new wasmApi.Instance(mod, {}).exports as T;
  } catch {
    return undefined;
  }
}

/** Grows `memory` so that it holds at least `bytes` bytes (detaching every earlier view when it grows). */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}

import { isUnderPointer } from './json-pointer.js';

/** Where a part of a merged policy came from: a source (by index in the chain) and a pointer in it. */
export interface Origin {
  source: number;
  pointer: string;
}

/**
 * Maps pointers of a merged document back to the files they came from, so that an issue found
 * after `extends` is merged is still reported at the line that caused it. Only the points where
 * the merged document diverges from one source are recorded; everything beneath such a point
 * lies at the same relative path in that source.
 */
export interface OriginMap {
  set(pointer: string, origin: Origin): void;
  /** Records `pointer` as coming from `fromPointer` of another map's document, with everything below it. */
  carry(pointer: string, from: OriginMap, fromPointer: string): void;
  resolve(pointer: string): Origin;
  entries(): IterableIterator<[string, Origin]>;
}

export function createOriginMap(root: Origin): OriginMap {
  const map = new Map<string, Origin>([['', root]]);
  const self: OriginMap = {
    set(pointer, origin) {
      for (const key of [...map.keys()]) if (key !== '' && isUnderPointer(key, pointer)) map.delete(key);
      map.set(pointer, origin);
    },
    carry(pointer, from, fromPointer) {
      self.set(pointer, from.resolve(fromPointer));
      for (const [key, origin] of from.entries()) {
        if (key !== fromPointer && isUnderPointer(key, fromPointer)) map.set(pointer + key.slice(fromPointer.length), origin);
      }
    },
    resolve(pointer) {
      let p = pointer;
      for (;;) {
        const origin = map.get(p);
        if (origin) return { source: origin.source, pointer: origin.pointer + pointer.slice(p.length) };
        p = p.slice(0, Math.max(0, p.lastIndexOf('/')));
      }
    },
    entries: () => map.entries(),
  };
  return self;
}

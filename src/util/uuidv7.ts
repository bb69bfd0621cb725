import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/**
 * Random bytes are drawn from a pool refilled 4 KB at a time (as Node's own `randomUUID` does):
 * two `randomBytes` calls per id cost more than the rest of a decision's bookkeeping.
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function takeRandom(n: number): number {
  if (poolOffset + n > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += n;
  return at;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids generated in
 * the same millisecond in order within this process, then random bits.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) {
    throw new RangeError(`uuidv7 needs whole milliseconds in [0, 2^48), not ${nowMs}`);
  }
  if (nowMs <= lastMs) {
    counter = (counter + 1) & 0xfff;
    if (counter === 0) lastMs += 1;
    nowMs = lastMs;
  } else {
    lastMs = nowMs;
    const at = takeRandom(2);
    counter = ((pool[at]! << 8) | pool[at + 1]!) & 0x7ff;
  }
  const at = takeRandom(8);
  // 48-bit milliseconds as hex: the high 16 bits and the low 32 bits separately (no BigInt).
  const high = Math.floor(nowMs / 0x100000000);
  const low = nowMs >>> 0;
  const time = high.toString(16).padStart(4, '0') + low.toString(16).padStart(8, '0');
  const variant = 0x80 | (pool[at]! & 0x3f);
  let tail = HEX[pool[at + 1]!]!;
  for (let i = 2; i < 8; i++) tail += HEX[pool[at + i]!]!;
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `${HEX[0x70 | ((counter >> 8) & 0x0f)]}${HEX[counter & 0xff]}-` +
    `${HEX[variant]}${tail.slice(0, 2)}-${tail.slice(2)}`
  );
}

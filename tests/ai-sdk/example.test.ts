import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/ai-sdk', () => {
  it('runs offline and shows a routed answer, a refused adult request and a checked stream', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/ai-sdk/route-with-ai-sdk.ts'], { timeout: 60_000 });
    expect(stdout).toContain('routing model: Tides are caused mostly by the Moon');
    expect(stdout).toMatch(/target: 'sfw'/);
    expect(stdout).toContain('unverified adult request: content-filter Adult content is only available to verified adults');
    expect(stdout).toContain('middleware stream: Here is a short, friendly poem about autumn leaves.\nfinish: stop');
  });
});

import { PassThrough } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from './helpers.js';

const ctx = { stdout: new PassThrough(), stderr: new PassThrough(), cwd: '/', env: {} };

describe('audit verify --archive DIR: a directory that is not there is a usage error, before any connection', () => {
  it('a missing directory', async () => {
    const err = (await auditVerifyCommand.run(['--pg', 'postgres://nobody@127.0.0.1:1/none', '--archive', '/nonexistent/saferoute-archive'], ctx).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('/nonexistent/saferoute-archive');
  });

  it('a file, not a directory', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = join(dir, 'archive.txt');
      await writeFile(file, 'x');
      const err = (await auditVerifyCommand.run(['--pg', 'postgres://nobody@127.0.0.1:1/none', '--archive', file], ctx).catch((e: unknown) => e)) as UsageError;
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toContain(file);
    } finally {
      await cleanup();
    }
  });
});

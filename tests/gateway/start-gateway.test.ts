import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionAuditEvent } from '../../src/audit/audit-event.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { hashApiKey } from '../../src/gateway/api-keys.js';
import { loadGatewayConfig } from '../../src/gateway/load-gateway-config.js';
import { loadPolicyOrThrow } from '../../src/policy/load-policy.js';
import type { PolicyDocument } from '../../src/policy/policy-schema.js';
import { generatePolicyKeyPair } from '../../src/policy-signing/policy-keys.js';
import { signatureFileFor } from '../../src/policy-signing/policy-signature.js';
import { signPolicy } from '../../src/policy-signing/sign-policy.js';
import { replayShadow } from '../../src/replay/replay-shadow.js';
import { OPENAI_KEY_ENV, TEST_CLASSIFIERS } from '../guard/guard-fixtures.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { APP_KEY, gatewayPolicy, startTestGateway } from './gateway-fixtures.js';
import { spawnServe } from './serve-process.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const upstreams = { openaiBaseURL: openai.baseURL, ollamaHost: ollama.host };
const trusted = generatePolicyKeyPair();
const stranger = generatePolicyKeyPair();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-start-'));
  await writeFile(join(dir, 'trusted.pub.pem'), trusted.publicKeyPem);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The policy written to `dir/name`, with the embedded classifier (a serve process has no test classifiers). */
async function writePolicy(name: string, overrides: Partial<PolicyDocument> = {}): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(gatewayPolicy(upstreams, { classifiers: { input: ['embedded'], output: ['embedded'] }, ...overrides }), null, 2));
  return file;
}

async function sign(file: string, key = trusted): Promise<void> {
  const policy = await loadPolicyOrThrow(file, { classifiers: TEST_CLASSIFIERS });
  await writeFile(signatureFileFor(file), JSON.stringify(signPolicy(policy, createPrivateKey(key.privateKeyPem), 'Ada <ada@example.com>', new Date('2026-12-01T10:00:00Z'))));
}

/** A config requiring signatures by `trusted.pub.pem`, one tenant over `policy` (and its shadows). */
async function writeConfig(name: string, policy: string, shadow?: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    JSON.stringify({
      listen: { port: 0 },
      tenants: [{ id: 'acme', policy, ...(shadow ? { shadow } : {}), apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }],
      // Shadow decisions are recorded in the audit log (a config with shadows and none is refused).
      audit: shadow ? { dir: `${name}.audit` } : { disabled: true },
      requireSignedPolicies: { keys: ['trusted.pub.pem'] },
    }),
  );
  return file;
}

const chat = (url: string, content: string): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content }] }),
  });

describe('requireSignedPolicies in the gateway config', () => {
  it('resolves key paths against the config file', async () => {
    const file = await writeConfig('paths.config.json', 'a.json', ['b.json']);
    const config = await loadGatewayConfig(file);
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.config.requireSignedPolicies?.keys).toEqual([join(dir, 'trusted.pub.pem')]);
    expect(config.config.tenants[0]?.shadow).toEqual([join(dir, 'b.json')]);

    // Shadow decisions are audit records: shadows without an audit log are refused, at their position.
    await writeFile(file, JSON.stringify({ ...(JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>), audit: { disabled: true } }));
    const unaudited = await loadGatewayConfig(file);
    expect(unaudited.ok).toBe(false);
    expect(unaudited.ok ? '' : `${unaudited.issues[0]?.pointer} ${unaudited.issues[0]?.message}`).toBe('/tenants/0/shadow tenant `acme` has shadow policies, but the gateway keeps no audit log: shadow decisions are only recorded there');
  });

  it('a serve process refuses an unsigned policy: exit 78, naming the file', { timeout: 60_000 }, async () => {
    const policy = await writePolicy('unsigned.json');
    const config = await writeConfig('unsigned.config.json', 'unsigned.json');
    const run = spawnServe(['--config', config], { cwd: dir, env: { [OPENAI_KEY_ENV]: 'sk-test' } });
    await expect(run).rejects.toThrow(/exited with 78/);
    await run.catch((err: Error) => {
      expect(err.message).toContain(`the policy \`${policy}\` is not signed`);
      expect(err.message).toContain('saferoute policy sign');
    });
  });

  it('refuses a policy modified since it was signed, and one signed with an untrusted key (exit 78)', async () => {
    const modified = await writePolicy('modified.json');
    await sign(modified);
    await writePolicy('modified.json', { revision: '2' });
    const r1 = await runCliInProcess(['serve', '--config', await writeConfig('modified.config.json', 'modified.json')], { cwd: dir });
    expect(r1.code).toBe(78);
    expect(r1.stderr).toContain(`the policy \`${modified}\` was modified since Ada <ada@example.com> signed it`);

    const foreign = await writePolicy('foreign.json');
    await sign(foreign, stranger);
    const r2 = await runCliInProcess(['serve', '--config', await writeConfig('foreign.config.json', 'foreign.json')], { cwd: dir });
    expect(r2.code).toBe(78);
    expect(r2.stderr).toContain('which is not a trusted key');
  });

  it('refuses an unsigned shadow policy too, and reports every refused file at once', async () => {
    const live = await writePolicy('live.json');
    await sign(live);
    const candidate = await writePolicy('candidate.json', { revision: 'candidate' });
    const other = await writePolicy('other.json', { revision: 'other' });
    const r = await runCliInProcess(['serve', '--config', await writeConfig('shadow.config.json', 'live.json', ['candidate.json', 'other.json'])], { cwd: dir });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`shadow policy: the policy \`${candidate}\` is not signed`);
    expect(r.stderr).toContain(`shadow policy: the policy \`${other}\` is not signed`);
  });

  it('serves signed policies, stamps the signer on decisions, and keeps a signed policy serving when a reload brings a modified one', async () => {
    const gw = await startTestGateway(gatewayPolicy(upstreams), { config: { requireSignedPolicies: { keys: [join(dir, 'trusted.pub.pem')] } }, host: { watchFiles: false } }).catch((err: Error) => err);
    // The fixture writes an unsigned policy: refused at start, with the file named.
    expect(gw).toBeInstanceOf(Error);
    expect((gw as Error & { code?: string }).code).toBe('policy_invalid');
    expect((gw as Error).message).toMatch(/policy\.json` is not signed/);

    const policyFile = await writePolicy('reload.json', { classifiers: { input: ['marker', 'pii'], output: ['marker', 'pii'] } });
    await sign(policyFile);
    const signed = await startTestGateway(gatewayPolicy(upstreams), {
      config: { requireSignedPolicies: { keys: [join(dir, 'trusted.pub.pem')] }, tenants: [{ id: 'acme', policy: policyFile, apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }] },
    });
    try {
      type Body = { saferoute: { decisions: { input: { policy: { revision: string; signedBy?: { signer: string; keyId: string } } } } } };
      const first = (await (await chat(signed.url, 'hi')).json()) as Body;
      expect(first.saferoute.decisions.input.policy.revision).toBe('1');
      expect(first.saferoute.decisions.input.policy.signedBy).toMatchObject({ signer: 'Ada <ada@example.com>', keyId: trusted.keyId });

      await writeFile(policyFile, JSON.stringify(gatewayPolicy(upstreams, { revision: '2' })));
      const refused = await signed.running.reload();
      expect(refused.ok).toBe(false);
      expect(refused.problems.join('\n')).toContain(`the policy \`${policyFile}\` was modified since Ada <ada@example.com> signed it`);
      const after = (await (await chat(signed.url, 'hi')).json()) as Body;
      expect(after.saferoute.decisions.input.policy.revision).toBe('1');
      const ready = (await (await fetch(`${signed.url}/readyz`)).json()) as { checks: { reload?: { detail: { refused: boolean; problems: string[] } } } };
      expect(ready.checks.reload?.detail.refused).toBe(true);
      expect(ready.checks.reload?.detail.problems.join('\n')).toContain('was modified since');

      // Signed anew: the reload goes through.
      await sign(policyFile);
      expect((await signed.running.reload()).ok).toBe(true);
      const signedAgain = (await (await chat(signed.url, 'hi')).json()) as Body;
      expect(signedAgain.saferoute.decisions.input.policy.revision).toBe('2');
    } finally {
      await signed.close();
    }
  });
});

describe('shadow policies in the gateway config', () => {
  it('records the candidate decisions beside the live ones, never enforced, for replay --shadow', async () => {
    const auditDir = join(dir, 'shadow-audit');
    const live = gatewayPolicy(upstreams);
    // The candidate also blocks hate; the live policy lets it through.
    const candidate = gatewayPolicy(upstreams, {
      revision: 'candidate',
      rules: [
        ...live.rules,
        { id: 'block-hate', description: 'd', stage: 'both', when: { score: 'hate', gte: 0.5 }, effect: { action: 'block', reason: 'hate', message: 'prohibited' } },
      ],
    } as Partial<PolicyDocument>);
    const candidateFile = join(dir, 'shadow-candidate.json');
    await writeFile(candidateFile, JSON.stringify(candidate));
    openai.setScript({ text: 'A plain answer.' });
    await writeFile(join(dir, 'shadow-live.json'), JSON.stringify(live));
    const served = await startTestGateway(live, {
      config: {
        audit: { dir: auditDir, writerId: 'gw-shadow' },
        tenants: [{ id: 'acme', policy: join(dir, 'shadow-live.json'), shadow: [candidateFile], apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }],
      },
    });
    let decisionId: string;
    let decideId: string;
    try {
      const res = await chat(served.url, 'what a [[slur]] remark');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { choices: { message: { content: string }; finish_reason: string }[] };
      // Live allows it: the answer is served, the candidate's block is not enforced.
      expect(body.choices[0]?.finish_reason).toBe('stop');
      expect(body.choices[0]?.message.content).toBe('A plain answer.');
      decisionId = res.headers.get('x-saferoute-decision-id')!;
      expect(decisionId).toBeTruthy();
      // /v1/decide records the candidates' decisions too, never enforced.
      const decided = await fetch(`${served.url}/v1/decide`, {
        method: 'POST',
        headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'another [[slur]] remark' }),
      });
      expect(decided.status).toBe(200);
      const decidedBody = (await decided.json()) as { decisionId: string; outcome: string };
      expect(decidedBody.outcome).toBe('route');
      decideId = decidedBody.decisionId;
    } finally {
      await served.close();
    }
    const records: DecisionAuditEvent[] = [];
    for await (const { event } of readAuditRecords({ dir: auditDir })) if (event.kind === 'decision') records.push(event);
    const shadows = records.filter((r) => r.shadow === true);
    const liveRecords = records.filter((r) => r.shadow !== true);
    expect(liveRecords.map((r) => r.policy.revision)).not.toContain('candidate');
    expect(shadows.length).toBeGreaterThanOrEqual(1);
    for (const s of shadows) expect(s.policy.revision).toBe('candidate');
    const ofInput = shadows.find((s) => s.stage === 'input');
    expect(liveRecords.map((r) => r.decisionId)).toContain(ofInput?.shadowOf);
    expect(ofInput).toMatchObject({ outcome: 'block', determiningRules: ['block-hate'] });
    expect(liveRecords.map((r) => r.decisionId)).toContain(decideId);
    expect(shadows.find((s) => s.shadowOf === decideId)).toMatchObject({ stage: 'input', outcome: 'block', determiningRules: ['block-hate'], policy: { revision: 'candidate' } });

    const [comparison] = await replayShadow({ dir: auditDir });
    expect(comparison?.summary.transitions.find((t) => t.from === 'route sfw' && t.to === 'block')).toMatchObject({ count: 2 });
    const cli = await runCliInProcess(['replay', '--shadow', auditDir]);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toContain('candidate gateway-test@candidate');
    expect(cli.stdout).toMatch(/route sfw\s+block\s+2\s+changed/);
  });
});

describe('saferoute serve on a port that is taken', () => {
  it('says which address is taken and what to do (exit 78), no stack trace', async () => {
    const { createServer } = await import('node:net');
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const config = join(dir, 'taken.config.json');
      await writeFile(config, JSON.stringify({ listen: { host: '127.0.0.1', port }, tenants: [{ id: 'acme', policy: await writePolicy('taken.json'), apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }], audit: { disabled: true } }));
      const r = await runCliInProcess(['serve', '--config', config], { cwd: dir, env: { [OPENAI_KEY_ENV]: 'sk-test' } });
      expect(r.code).toBe(78);
      expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}: another process is listening there; stop it, or choose another port with --port`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      squatter.close();
    }
  });
});

import { readFile } from 'node:fs/promises';
import type { Context, Hono } from 'hono';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import { canEdit, canSeeTenant } from './console-scopes.js';
import type { RenderPage } from './create-console.js';
import { html } from './html.js';
import { editorPage, type EditorState } from './pages/editor-page.js';
import { policiesIndex, policyPage } from './pages/policy-page.js';
import { checkDraft, replayDraft, saveDraft, testDraft } from './policy-draft.js';
import { policyView } from './policy-view.js';

/** How far back "recent traffic" reaches when a draft is replayed. */
export const REPLAY_DAYS = 7;

/** Policies: each tenant's policy for people, and the editor's draft flow. */
export function registerPolicyRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, render: RenderPage): void {
  /** The tenant's live policy and its file, when this session may see it. */
  const liveOf = (c: Context<ConsoleEnv>): { tenant: string; file: string; policy: EvaluablePolicy } | undefined => {
    const tenant = c.req.param('tenant') ?? '';
    if (!canSeeTenant(c.get('session'), tenant)) return undefined;
    const runtime = deps.host.state.tenants.get(tenant);
    const config = deps.host.state.config.tenants.find((t) => t.id === tenant);
    if (!runtime || !config) return undefined;
    return { tenant, file: config.policy, policy: runtime.guard.runtime.policy };
  };
  const notFound = (c: Context<ConsoleEnv>) => render(c, 'Not found', 'policies', html`<h1>No such tenant</h1><p>This session may see no tenant <code>${c.req.param('tenant') ?? ''}</code>. <a href="/console/policies">All policies</a>.</p>`, 404);
  const forbidden = (c: Context<ConsoleEnv>) => render(c, 'Not allowed', 'policies', html`<h1>Not allowed</h1><p>Editing policies needs a key with the <code>editor</code> (or <code>admin</code>) scope; this session is <code>${c.get('session').role}</code>.</p>`, 403);
  const canSave = (): EditorState['canSave'] =>
    deps.config.signingKey ? { ok: true, signer: deps.config.signer ?? 'saferoute console' } : { ok: false, why: 'Saving is off: the gateway config’s `console.signingKey` names no key to sign revisions with.' };

  app.get('/console/policies', (c) => {
    const session = c.get('session');
    const tenants = [...deps.host.state.tenants.values()].filter((t) => canSeeTenant(session, t.id)).map((t) => ({ id: t.id, policy: t.guard.runtime.policy }));
    return render(c, 'Policies', 'policies', policiesIndex(tenants));
  });

  app.get('/console/policies/:tenant', async (c) => {
    const live = liveOf(c);
    if (!live) return notFound(c);
    const view = await policyView(live.tenant, live.file, live.policy, deps.host.audit?.source);
    return render(c, `Policy of ${live.tenant}`, 'policies', policyPage(view, canEdit(c.get('session').role)));
  });

  app.get('/console/policies/:tenant/edit', async (c) => {
    const live = liveOf(c);
    if (!live) return notFound(c);
    if (!canEdit(c.get('session').role)) return forbidden(c);
    const text = await readFile(live.file, 'utf8');
    return render(c, `Draft of ${live.tenant}`, 'policies', editorPage({ tenant: live.tenant, liveFile: live.file, live: live.policy, text, csrf: c.get('csrf'), canSave: canSave() }));
  });

  // Live validation as the editor types: JSON in, the problems as `saferoute validate` prints them out.
  app.post('/console/policies/:tenant/validate', async (c) => {
    const live = liveOf(c);
    if (!live) return c.json({ error: 'no such tenant' }, 404);
    if (!canEdit(c.get('session').role)) return c.json({ error: 'editing needs the editor scope' }, 403);
    const body = (await c.req.json().catch(() => undefined)) as { text?: unknown } | undefined;
    if (typeof body?.text !== 'string') return c.json({ error: 'send { "text": "…policy JSON…" }' }, 400);
    const check = await checkDraft(body.text, live.file, live.policy);
    return c.json({ ok: check.ok, summary: check.summary, problems: check.problems });
  });

  app.post('/console/policies/:tenant/draft', async (c) => {
    const live = liveOf(c);
    if (!live) return notFound(c);
    const session = c.get('session');
    if (!canEdit(session.role)) return forbidden(c);
    const form = await c.req.parseBody();
    const text = typeof form.text === 'string' ? form.text : '';
    const action = typeof form.action === 'string' ? form.action : 'check';
    const state: EditorState = { tenant: live.tenant, liveFile: live.file, live: live.policy, text, csrf: c.get('csrf'), canSave: canSave() };
    const check = await checkDraft(text, live.file, live.policy);
    state.check = check;
    const draft = check.policy;
    if (draft && action === 'test') state.tests = await testDraft(draft, live.file, deps.classifiers);
    if (draft && action === 'replay') {
      const audit = deps.host.audit;
      const since = new Date(deps.now().getTime() - REPLAY_DAYS * 86_400_000);
      state.replay = audit ? { summary: await replayDraft(draft, audit.source, live.tenant, since, deps.classifiers), since } : { error: 'This gateway keeps no audit log: there is no traffic to replay.' };
    }
    if (action === 'save') {
      const key = deps.config.signingKey;
      if (!draft) state.saved = { ok: false, message: 'the draft has errors; fix them before saving' };
      else if (!key) state.saved = { ok: false, message: 'saving is off: `console.signingKey` is not configured' };
      else {
        state.saved = await saveDraft(text, draft, live.policy, live.file, { file: key, signer: `${deps.config.signer ?? 'saferoute console'} (console key ${session.keyId})` });
        if (state.saved.ok) deps.host.log('info', 'console saved a policy revision', { tenant: live.tenant, keyId: session.keyId, file: state.saved.file, sha256: state.saved.signature.policy.sha256 });
      }
    }
    return render(c, `Draft of ${live.tenant}`, 'policies', editorPage(state), check.ok || action === 'check' ? 200 : 422);
  });
}

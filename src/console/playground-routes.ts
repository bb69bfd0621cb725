import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import { canSeeTenant } from './console-scopes.js';
import type { RenderPage } from './create-console.js';
import { playgroundPage } from './pages/playground-page.js';
import { EMPTY_PLAYGROUND, playgroundFormOf, subjectOf } from './playground-input.js';

/** The longest text the playground decides (the gateway's body limit applies as well). */
const MAX_TEXT = 20_000;

/** Playground: a prompt and a described subject, decided by a tenant's live policy. */
export function registerPlaygroundRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, render: RenderPage): void {
  const tenantsOf = (session: Parameters<typeof canSeeTenant>[0]): string[] => [...deps.host.state.tenants.keys()].filter((t) => canSeeTenant(session, t));

  app.get('/console/playground', (c) => {
    const session = c.get('session');
    return render(c, 'Playground', 'playground', playgroundPage({ ...EMPTY_PLAYGROUND, tenant: session.tenant }, tenantsOf(session), c.get('csrf')));
  });

  app.post('/console/playground', async (c) => {
    const session = c.get('session');
    const form = playgroundFormOf(await c.req.parseBody());
    const tenants = tenantsOf(session);
    const problems: string[] = [];
    const tenant = tenants.includes(form.tenant) ? deps.host.state.tenants.get(form.tenant) : undefined;
    if (!tenant) problems.push(`This session may not use tenant “${form.tenant}”.`);
    if (form.text.trim() === '') problems.push('Type a text to decide.');
    if (form.text.length > MAX_TEXT) problems.push(`The text is longer than ${MAX_TEXT} characters.`);
    const now = deps.now();
    const described = subjectOf(form, now);
    problems.push(...described.problems);
    if (problems.length > 0 || !tenant) return render(c, 'Playground', 'playground', playgroundPage(form, tenants, c.get('csrf'), { problems }), 400);
    const decision = await tenant.guard.runtime.decide({ text: form.text, stage: form.stage, subject: described.subject, request: { tenant: tenant.id }, now }, { trace: true });
    return render(c, 'Playground', 'playground', playgroundPage(form, tenants, c.get('csrf'), { decision }));
  });
}

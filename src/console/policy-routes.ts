import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import type { RenderPage } from './create-console.js';
import { html } from './html.js';

/** Policies: each tenant's policy for people, and the editor's draft flow. */
export function registerPolicyRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, render: RenderPage): void {
  void deps;
  app.get('/console/policies', (c) => render(c, 'Policies', 'policies', html`<h1>Policies</h1>`));
}

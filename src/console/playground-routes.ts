import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import type { RenderPage } from './create-console.js';
import { html } from './html.js';

/** Playground: a prompt and a described subject, decided by a tenant's live policy. */
export function registerPlaygroundRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, render: RenderPage): void {
  void deps;
  app.get('/console/playground', (c) => render(c, 'Playground', 'playground', html`<h1>Playground</h1>`));
}

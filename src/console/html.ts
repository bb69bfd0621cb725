/**
 * HTML built from templates: every interpolated value is escaped unless it is already `Html`
 * (made by `html` or `raw`). Arrays are joined. `undefined`, `null` and `false` render nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value == null || value === false) return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup that is trusted as it is (our own SVG charts). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A message with its `quoted` parts as code. */
export function withCode(message: string): Html {
  return new Html(
    message
      .split('`')
      .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
      .join(''),
  );
}

import { TextDecoder } from 'node:util';

const DATA_URL = /^data:([^,]*?),(.*)$/is;

/**
 * The text inside a `data:` URL, as the model receives it: base64 (`;base64`) or percent-encoded
 * content decoded with its charset (UTF-8 by default). `undefined` for what is not a `data:` URL
 * and for raster images (`image/png`, …), which are not text; SVG is XML text and is returned.
 */
export function dataUrlText(url: string): string | undefined {
  const m = DATA_URL.exec(url.trimStart());
  if (!m) return undefined;
  const params = (m[1] as string).split(';').map((p) => p.trim());
  const mediaType = (params[0] || 'text/plain').toLowerCase();
  if (mediaType.startsWith('image/') && !mediaType.startsWith('image/svg')) return undefined;
  const base64 = params.slice(1).some((p) => p.toLowerCase() === 'base64');
  const data = m[2] as string;
  const bytes = base64 ? Buffer.from(decodePercent(data).toString('latin1'), 'base64') : decodePercent(data);
  return decoderFor(params).decode(bytes);
}

/** Percent escapes as bytes, the rest as UTF-8; a malformed `%` stays as written. */
function decodePercent(data: string): Buffer {
  if (!data.includes('%')) return Buffer.from(data, 'utf8');
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < data.length; ) {
    if (data[i] === '%' && /^[0-9a-fA-F]{2}$/.test(data.slice(i + 1, i + 3))) {
      out.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const cp = data.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    for (const b of encoder.encode(ch)) out.push(b);
    i += ch.length;
  }
  return Buffer.from(out);
}

function decoderFor(params: readonly string[]): TextDecoder {
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset) {
    try {
      return new TextDecoder(charset);
    } catch {
      // An unknown charset is read as UTF-8: the text is still classified, if imperfectly.
    }
  }
  return new TextDecoder('utf-8');
}

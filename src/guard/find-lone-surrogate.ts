// Without the `u` flag the pattern sees UTF-16 code units, so it finds unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The offset of the first unpaired UTF-16 surrogate in `text`, or -1 when every one is paired. */
export function findLoneSurrogate(text: string): number {
  return LONE_SURROGATE.exec(text)?.index ?? -1;
}

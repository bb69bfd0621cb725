export { findEncodedSpans } from './find-encoded-spans.js';
export type { EncodedSpan, EncodingKind } from './find-encoded-spans.js';
export { decodedVariants } from './decoded-variants.js';
export type { DecodedVariant } from './decoded-variants.js';

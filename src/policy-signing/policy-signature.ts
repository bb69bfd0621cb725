/** What `saferoute policy sign` writes beside a policy (`POLICY.sig.json`). */
export interface PolicySignature {
  type: 'saferoute-policy-signature';
  v: 1;
  algorithm: 'Ed25519';
  /** The resolved policy signed: `sha256` is the digest decisions carry (extends included). */
  policy: { id: string; revision: string; sha256: string };
  /** Who signed, as given: `Name <email>`. */
  signer: string;
  /** ISO 8601. */
  signedAt: string;
  /** RFC 7638 SHA-256 thumbprint (base64url) of the signing key's public half. */
  keyId: string;
  /** Base64url Ed25519 signature over the RFC 8785 canonical JSON of every other field. */
  signature: string;
}

/** Who signed the policy that decided: carried by decisions and audit records. */
export interface PolicySignedBy {
  signer: string;
  keyId: string;
  signedAt: string;
}

/** `POLICY.json` → `POLICY.sig.json`. */
export function signatureFileFor(policyFile: string): string {
  return policyFile.replace(/\.json$/i, '') + '.sig.json';
}

// `llm_guardrail` ships no type declarations; these are the two calls eval-peers.ts makes.
declare module 'llm_guardrail' {
  export function checkInjection(prompt: string): Promise<unknown>;
  export function checkJailbreak(prompt: string): Promise<unknown>;
}

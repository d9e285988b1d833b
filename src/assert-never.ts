/** Ends an exhaustive switch: the compiler rejects the call when a case was missed. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

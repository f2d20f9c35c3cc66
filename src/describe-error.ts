/** One line for a log: the message of an Error, the text of anything else thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

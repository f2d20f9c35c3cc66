/**
 * One `Link` header field value (RFC 8288 §3): `<URI-Reference>; param="value"`. A parameter's
 * value is an RFC 9110 §5.6.4 quoted-string, so a `"` or `\` inside it (the ActivityStreams
 * profile of `application/ld+json` has quotes of its own) is escaped with a backslash.
 */
export function linkValue(href: string, params: Record<string, string>): string {
  let out = `<${href}>`;
  for (const [name, value] of Object.entries(params)) {
    out += `; ${name}="${value.replace(/["\\]/g, '\\$&')}"`;
  }
  return out;
}

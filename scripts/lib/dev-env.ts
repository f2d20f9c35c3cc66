/**
 * The environment every `wrangler dev` this project starts runs with (npm start, the soak, the
 * tests that start the local stack):
 * - no metrics (no network but the npm registry here);
 * - no request-body draining: wrangler dev wraps the Worker in a middleware that reads every
 *   unread request body to its end before the answer is sent, so a client that stalls a body
 *   (a POST that is refused without being read: a 405, a 401, a 413) holds its answer, and the
 *   isolate with it, until the client gives up. Deployed Workers do not do this.
 */
export function devEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_DISABLE_REQUEST_BODY_DRAINING: 'true',
    ...extra,
  };
}

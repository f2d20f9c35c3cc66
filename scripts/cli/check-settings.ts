/**
 * Refuses a deploy (and its dry run) whose publisher settings would answer every request 503:
 * the [vars] of wrangler.publisher.toml, read by wrangler itself, through the publisher's own
 * schema (src/publisher/config.ts). Secrets are not in the config; the Worker checks them.
 */
import { unstable_readConfig } from 'wrangler';
import { describeProblems, readPublisherConfig } from '../../src/publisher/config';

/** The problems of `config`'s [vars], or undefined when they parse. */
export function settingsProblems(config = 'wrangler.publisher.toml'): string | undefined {
  const { vars } = unstable_readConfig({ config });
  const result = readPublisherConfig({ ...vars });
  return result.ok ? undefined : describeProblems(result.problems);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = settingsProblems();
  if (problems) {
    console.error(`wrangler.publisher.toml [vars]: ${problems}`);
    process.exit(1);
  }
}

/**
 * Refuses a deploy (and its dry run) whose settings would answer every request 503: the [vars]
 * of wrangler.toml and wrangler.publisher.toml, read by wrangler itself, through each Worker's
 * own schema (src/reader/config.ts, src/publisher/config.ts). Secrets are not in the configs;
 * the Workers check them.
 */
import { unstable_readConfig } from 'wrangler';
import { describeProblems } from '../../src/articles/settings';
import { readPublisherConfig } from '../../src/publisher/config';
import { readReaderSettings } from '../../src/reader/config';

/** The problems of the publisher config's [vars], or undefined when they parse. */
export function settingsProblems(config = 'wrangler.publisher.toml'): string | undefined {
  const { vars } = unstable_readConfig({ config });
  const result = readPublisherConfig({ ...vars });
  return result.ok ? undefined : describeProblems(result.problems);
}

/** The problems of the reader config's [vars], or undefined when they parse. */
export function readerSettingsProblems(config = 'wrangler.toml'): string | undefined {
  const { vars } = unstable_readConfig({ config });
  const result = readReaderSettings({ ...vars });
  return result.ok ? undefined : describeProblems(result.problems);
}

/**
 * Deliveries must not announce what a reader may not serve yet: the publisher's
 * ANNOUNCE_AFTER_MS must exceed the reader's VERSION_MAX_AGE_MS (docs/caching.md).
 */
export function announceProblem(
  reader = 'wrangler.toml',
  publisher = 'wrangler.publisher.toml',
): string | undefined {
  const r = readReaderSettings({ ...unstable_readConfig({ config: reader }).vars });
  const p = readPublisherConfig({ ...unstable_readConfig({ config: publisher }).vars });
  if (!r.ok || !p.ok || p.config.announceAfterMs > r.config.versionMaxAgeMs) return undefined;
  return `ANNOUNCE_AFTER_MS (${p.config.announceAfterMs}) in ${publisher} must exceed VERSION_MAX_AGE_MS (${r.config.versionMaxAgeMs}) in ${reader}: deliveries would announce what readers may not serve yet`;
}

/** Both configs' problems, one line each, or undefined when both parse. */
export function allSettingsProblems(): string | undefined {
  const lines = [
    [readerSettingsProblems(), 'wrangler.toml'],
    [settingsProblems(), 'wrangler.publisher.toml'],
  ]
    .filter(([problems]) => problems)
    .map(([problems, file]) => `${file} [vars]: ${problems}`);
  if (lines.length === 0) {
    const announce = announceProblem();
    if (announce) lines.push(announce);
  }
  return lines.length ? lines.join('\n') : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = allSettingsProblems();
  if (problems) {
    console.error(problems);
    process.exit(1);
  }
}

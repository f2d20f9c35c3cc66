import type { ArticleSummary } from '../articles/schema';
import { formatDate } from './dates';
import { type Alternate, FEED_ALTERNATES, Layout, type NavItem } from './layout';
import { articlePath, facetLink } from './paths';

export interface ListPageProps {
  /** Newest first: this page's share of the list. */
  articles: readonly ArticleSummary[];
  siteName: string;
  lang: string;
  /** Absolute URL of this page (canonical). */
  url: string;
  /** The list's heading (`Latest articles`, `World`) and what it is (`Section`, `Tag`…). */
  heading: string;
  label?: string;
  /** The path of this list when the masthead names it (a section's page). */
  current?: string;
  /** The list's own feeds, when it is not the home page. */
  feeds?: { atom: string; json: string };
  nav: readonly NavItem[];
  /** Paths of the neighbouring pages, when there are any. */
  newer?: string;
  older?: string;
  page: number;
}

/**
 * One page of a list of articles, newest first: the home page, a section, a tag or an author.
 * Each entry is its section, headline, standfirst and date.
 */
export function ListPage(props: ListPageProps) {
  const { articles, siteName, url, heading, label, feeds, newer, older, page } = props;
  const named = page > 1 ? `${heading}, page ${page}` : heading;
  const title = label
    ? `${named} · ${siteName}`
    : page > 1
      ? `${siteName} · page ${page}`
      : siteName;
  const { pathname, search } = new URL(url);
  const alternates: Alternate[] = [
    { type: 'application/json', href: pathname + search, title: 'These articles as JSON' },
    ...(feeds
      ? [
          { type: 'application/atom+xml', href: feeds.atom, title: `${heading}: Atom feed` },
          { type: 'application/feed+json', href: feeds.json, title: `${heading}: JSON Feed` },
        ]
      : FEED_ALTERNATES),
  ];
  return (
    <Layout
      siteName={siteName}
      lang={props.lang}
      title={title}
      description={
        label
          ? `${label} ${heading}: the latest articles from ${siteName}.`
          : `The latest articles from ${siteName}.`
      }
      canonical={url}
      alternates={alternates}
      social={[
        ['og:type', 'website'],
        ['og:site_name', siteName],
        ['og:title', title],
        ['og:url', url],
      ]}
      nav={props.nav.map((item) =>
        props.current === item.href ? { ...item, current: 'page' as const } : item,
      )}
    >
      <div class="list-head">
        {label ? <p class="meta">{label}</p> : null}
        <h1>{named}</h1>
        {feeds ? (
          <p class="feeds">
            Follow: <a href={feeds.atom}>Atom feed</a> · <a href={feeds.json}>JSON Feed</a>
          </p>
        ) : null}
      </div>
      {articles.length === 0 ? (
        <p>Nothing has been published yet.</p>
      ) : (
        <ol class="articles">
          {articles.map((article) => (
            <li>
              <article>
                {article.section &&
                article.section !== (label === 'Section' ? heading : undefined) ? (
                  <p class="kicker">
                    <a href={facetLink('sections', article.section).href}>{article.section}</a>
                  </p>
                ) : null}
                <h2>
                  <a href={articlePath(article.slug)}>{article.title}</a>
                </h2>
                <p class="standfirst">{article.description}</p>
                <p class="meta">
                  <time datetime={article.datePublished}>{formatDate(article.datePublished)}</time>
                </p>
              </article>
            </li>
          ))}
        </ol>
      )}
      {newer || older ? (
        <nav class="pages" aria-label="More articles">
          {newer ? (
            <a href={newer} rel="prev">
              Newer articles
            </a>
          ) : (
            <span />
          )}
          {older ? (
            <a href={older} rel="next">
              Older articles
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </Layout>
  );
}

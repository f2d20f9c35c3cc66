/** The soak's targets: the mix of requests its clients send, and what each must answer. */

export const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';
/** The article the soak re-publishes while the clients read. */
export const PROBE = 'soak-probe';

const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

export interface Check {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** Expected statuses and Content-Type prefix (undefined: no body expected). */
  status: number[];
  type?: string;
  parse?: 'html' | 'json' | 'markdown' | 'xml';
}

export const MIX: Check[] = [
  {
    name: 'browser',
    path: ARTICLE,
    headers: { Accept: CHROME },
    status: [200],
    type: 'text/html',
    parse: 'html',
  },
  {
    name: 'curl',
    path: ARTICLE,
    headers: { Accept: '*/*' },
    status: [200],
    type: 'text/html',
    parse: 'html',
  },
  {
    name: 'json client',
    path: ARTICLE,
    headers: { Accept: 'application/json' },
    status: [200],
    type: 'application/json',
    parse: 'json',
  },
  {
    name: 'agent',
    path: ARTICLE,
    headers: { Accept: 'text/markdown' },
    status: [200],
    type: 'text/markdown',
    parse: 'markdown',
  },
  { name: 'HEAD', path: ARTICLE, method: 'HEAD', status: [200] },
  {
    name: 'home',
    path: '/',
    headers: { Accept: CHROME },
    status: [200],
    type: 'text/html',
    parse: 'html',
  },
  {
    name: 'home json',
    path: '/',
    headers: { Accept: 'application/json' },
    status: [200],
    type: 'application/json',
    parse: 'json',
  },
  { name: 'feed', path: '/feed.xml', status: [200], type: 'application/atom+xml', parse: 'xml' },
  {
    name: 'unknown slug',
    path: '/articles/no-such-article',
    headers: { Accept: 'application/json' },
    status: [404],
    type: 'application/problem+json',
    parse: 'json',
  },
  {
    name: 'unacceptable',
    path: ARTICLE,
    headers: { Accept: 'image/png' },
    status: [406],
    type: 'application/problem+json',
    parse: 'json',
  },
  {
    name: 'garbage accept',
    path: ARTICLE,
    headers: { Accept: ';;;,,,q=abc' },
    status: [200],
    type: 'text/html',
    parse: 'html',
  },
  {
    name: 'bad date',
    path: ARTICLE,
    headers: { 'If-Modified-Since': 'yesterday' },
    status: [200],
    type: 'text/html',
    parse: 'html',
  },
  {
    name: 'probe json',
    path: `/articles/${PROBE}`,
    headers: { Accept: 'application/json' },
    status: [200],
    type: 'application/json',
    parse: 'json',
  },
  {
    name: 'probe html',
    path: `/articles/${PROBE}`,
    status: [200],
    type: 'text/html',
    parse: 'html',
  },
];

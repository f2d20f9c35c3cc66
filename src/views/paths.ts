/** The site's URL structure, in one place: views link with it, routes serve it. */

/** Path of an article's canonical URL. */
export const articlePath = (slug: string): string => `/articles/${slug}`;

/** Path of page `page` of the article list (page 1 is the home page itself). */
export const listPagePath = (page: number): string => (page === 1 ? '/' : `/?page=${page}`);

/**
 * Sections, tags and authors: the names an article is filed under, each with a page and feeds
 * of its own. One rule turns a name into its URL segment, used by the schema (which refuses a
 * name with no letters or digits, or two names of one article that share a segment) and by the
 * reader (which groups the index by it).
 */

/** The kinds of list, by their URL's first segment: `/sections/world`, `/tags/russia`. */
export const FACET_KINDS = ['sections', 'tags', 'authors'] as const;
export type FacetKind = (typeof FACET_KINDS)[number];

/** What one of each kind is called on its page and in its feed's title. */
export const FACET_LABELS: Readonly<Record<FacetKind, string>> = {
  sections: 'Section',
  tags: 'Tag',
  authors: 'Author',
};

/**
 * The URL segment of a name: lowercase letters, digits and combining marks of any script, runs
 * of anything else as one hyphen. Unicode stays Unicode (`Zürich` → `zürich`): folding it to ASCII
 * would merge names that differ and lose scripts that have no ASCII form.
 * @example facetSlug('United States') // 'united-states'
 */
export function facetSlug(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Longest name accepted for a section, tag or author (and so the longest segment, about). */
export const FACET_NAME_MAX_LENGTH = 80;

/** True for a path segment facetSlug could have made: checked before any lookup. */
export const isFacetSlug = (segment: string): boolean =>
  segment.length > 0 &&
  segment.length <= 4 * FACET_NAME_MAX_LENGTH &&
  facetSlug(segment) === segment;

/**
 * What the writer typed, kept on this device at every keystroke (localStorage), with the revision
 * it was based on: a reload, a closed tab or a dropped network loses nothing. It is forgotten
 * once the publisher has taken the save.
 */
import * as v from 'valibot';

const Copy = v.object({
  basedOn: v.nullable(v.string()),
  values: v.record(v.string(), v.unknown()),
});
export type Copy = v.InferOutput<typeof Copy>;

const keyOf = (article: string) => `kvpress-editor:${article}`;

export function keep(article: string, copy: Copy): void {
  try {
    localStorage.setItem(keyOf(article), JSON.stringify(copy));
  } catch {
    // Storage full or off: the page still holds the text.
  }
}

export function kept(article: string): Copy | null {
  try {
    const parsed = v.safeParse(Copy, JSON.parse(localStorage.getItem(keyOf(article)) ?? 'null'));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

export function forget(article: string): void {
  try {
    localStorage.removeItem(keyOf(article));
  } catch {
    // nothing kept
  }
}

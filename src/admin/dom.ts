/**
 * A tiny element builder for the newsroom app: the views are a handful of forms and lists, and a
 * framework would be most of the bundle. Children are text or elements (text is never parsed as
 * HTML: everything from the API is set as text).
 */
type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | boolean | number | undefined | ((event: Event) => void)>;

/** `<tag attrs…>children</tag>`; `on…` attributes are listeners, booleans are present or absent. */
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** Replaces what `parent` holds. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => !!c));
}

/** Says `text` to screen readers (and shows it) in the page's live region. */
export function announce(text: string): void {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

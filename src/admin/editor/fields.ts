/**
 * The editor's labelled fields (everything but the body): built from FIELDS with their hints,
 * suggestions (a datalist) and error slots, and read back as document values.
 */
import { h } from '../dom';
import { localZone, zoneName } from '../time';
import { FIELDS, type Field, fromLocal, toLocal } from './document';

export interface ArticleFields {
  inputs: Map<Field, HTMLInputElement | HTMLTextAreaElement>;
  /** Each field's error slot, by the API's field name. */
  errors: Map<string, HTMLElement>;
  /** A new error slot for `name` (the body's too). */
  errorFor: (name: string) => HTMLElement;
  elements: HTMLElement[];
  /** The fields' values as the document takes them (lists split, times as instants). */
  values: () => Record<string, unknown>;
}

/** The fields `shown`, filled from `base`, calling `changed` at every keystroke. */
export function articleFields(
  shown: readonly (typeof FIELDS)[number][],
  base: Partial<Record<string, string | string[]>>,
  suggestions: { sections: string[]; tags: string[]; authors: string[] },
  changed: () => void,
): ArticleFields {
  const inputs = new Map<Field, HTMLInputElement | HTMLTextAreaElement>();
  const errors = new Map<string, HTMLElement>();
  const errorFor = (name: string) => {
    const el = h('p', { id: `error-${name}`, class: 'field-error', hidden: true });
    errors.set(name, el);
    return el;
  };
  const values = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, , kind] of FIELDS) {
      const value = inputs.get(name)?.value.trim() ?? '';
      if (kind === 'list')
        out[name] = value
          ? value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      else if (kind === 'datetime-local') out[name] = fromLocal(value);
      else out[name] = value || undefined;
    }
    return out;
  };
  const fields = shown.map(([name, label, kind]) => {
    const id = `field-${name}`;
    const value = base[name];
    const text = Array.isArray(value)
      ? value.join(', ')
      : kind === 'datetime-local'
        ? toLocal(value)
        : (value ?? '');
    const listId = `${id}-suggestions`;
    const input =
      kind === 'textarea'
        ? (h(
            'textarea',
            { id, name, rows: 3, 'aria-describedby': `error-${name}` },
            text,
          ) as HTMLTextAreaElement)
        : (h('input', {
            id,
            name,
            type: kind === 'list' ? 'text' : kind,
            value: text,
            'aria-describedby': `error-${name}${kind === 'list' ? ` hint-${name}` : ''}${kind === 'datetime-local' ? ` hint-${name}` : ''}`,
            list: name === 'section' || name === 'tags' || name === 'authors' ? listId : undefined,
            required: name === 'title',
          }) as HTMLInputElement);
    input.addEventListener('input', changed);
    inputs.set(name, input);
    const hint =
      kind === 'list'
        ? h('span', { id: `hint-${name}`, class: 'hint' }, 'Separate them with commas.')
        : kind === 'datetime-local'
          ? h(
              'span',
              { id: `hint-${name}`, class: 'hint' },
              `In your time zone (${localZone()}); the site's is ${zoneName()}. Empty: publish now.`,
            )
          : null;
    const known =
      name === 'section'
        ? suggestions.sections
        : name === 'tags'
          ? suggestions.tags
          : name === 'authors'
            ? suggestions.authors
            : null;
    return h(
      'p',
      { class: 'field' },
      h('label', { for: id }, label),
      hint,
      input,
      known ? h('datalist', { id: listId }, ...known.map((k) => h('option', { value: k }))) : null,
      errorFor(name),
    );
  });

  return { inputs, errors, errorFor, elements: fields, values };
}

/**
 * A mimic element's words in the operator's language: project files may give a symbol's
 * label (and a label element's text) as one string or as `{ en, zh }`; the symbols draw one
 * string. An element already in one language comes back as it was (same object), so memoized
 * symbols do not redraw. Pure.
 */
import type { MimicElementDto } from '../../preload/contract.js';
import { pickText, type Lang } from '../i18n/i18n.js';

type OneLanguage<T> = T extends undefined ? undefined : string;

/** A mimic element with its label or text as the string to draw. */
export type LocalMimicElement = MimicElementDto extends infer E
  ? E extends unknown
    ? { [K in keyof E]: K extends 'label' | 'text' ? OneLanguage<E[K]> : E[K] }
    : never
  : never;

export function localizeElement(element: MimicElementDto, lang: Lang): LocalMimicElement {
  if (element.kind === 'label')
    return (
      typeof element.text === 'string' ? element : { ...element, text: pickText(element.text, lang) }
    ) as LocalMimicElement;
  if ('label' in element && element.label !== undefined && typeof element.label !== 'string')
    return { ...element, label: pickText(element.label, lang) } as LocalMimicElement;
  return element as LocalMimicElement;
}

/** A tag's latest value with its display quality, for symbols that draw state rather than text. */
import type { TagInfo } from '../../preload/contract.js';
import { useConnected, useNow, useTagInfo, useTagValue } from '../app/station-context.js';
import { valueView, type ValueView } from '../format/value-view.js';
import type { CheckedValue } from '../mimic/equipment-state.js';
import { useLang } from '../i18n/language.js';

export interface CheckedTag extends CheckedValue {
  readonly view: ValueView;
  readonly info: TagInfo | undefined;
}

/** `tag` may be undefined for optional bindings (a pump without a fault tag): hooks still run in order. */
export function useCheckedValue(tag: string | undefined): CheckedTag {
  const name = tag ?? '';
  const value = useTagValue(name);
  const info = useTagInfo(name);
  const now = useNow();
  const connected = useConnected();
  const lang = useLang();
  const view = valueView(name, value, info, now, connected, lang);
  return { value, quality: view.quality, view, info };
}

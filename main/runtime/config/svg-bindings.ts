/**
 * The binding language of imported SVG screens: what an element's `data-tag` and
 * `data-bind` attributes say. Pure: no I/O.
 *
 *   data-tag="SS01.HX.T_SEC_SUP"          the element's text is the tag's value and unit (on <text>/<tspan>)
 *   data-bind="fill:SS01.P1.RUN"          fill follows a digital state (on / off / unknown), `!TAG` inverts
 *   data-bind="stroke:SS01.P1.RUN"        the same for the outline
 *   data-bind="visible:SS01.P1.FAULT"     shown while true; `visible:!TAG` shown while false
 *   data-bind="rotate:SS01.CV.POS 0 90"   rotated about its centre, 0° at the range's low end to 90° at its high end
 *   data-bind="rotate:TAG 0 90 0 100"     … with an explicit span of values instead of the tag's range
 *   data-bind="level:SS01.EXP.LEVEL"      a <rect> filled from its bottom in proportion to the value (`level:TAG 0 100`)
 *   data-bind="text:TAG"                  same as data-tag
 *
 * Several bindings on one element are separated by `;`: `fill:P1.RUN; visible:!P1.OOS`.
 */
import type { SvgBindingDto } from '../../../preload/contract.js';

export const bindingKinds = ['text', 'fill', 'stroke', 'visible', 'rotate', 'level'] as const;
export type BindingKind = (typeof bindingKinds)[number];

export interface ParsedBindings {
  readonly bindings: SvgBindingDto[];
  readonly errors: string[];
}

const isKind = (s: string): s is BindingKind => (bindingKinds as readonly string[]).includes(s);

/** Numbers after the tag; null when one of them is not a finite number. */
function numbers(args: readonly string[]): number[] | null {
  const out: number[] = [];
  for (const a of args) {
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(a)) return null;
    out.push(Number(a));
  }
  return out;
}

/**
 * Parse one element's `data-bind` value. `elementName` is the SVG element it sits on
 * (text bindings need a <text>/<tspan>, level bindings a <rect>). Tag names are not
 * checked against the project here (see `svg-screen.ts`), only their shape.
 */
export function parseDataBind(spec: string, elementName: string, tagPattern: RegExp): ParsedBindings {
  const bindings: SvgBindingDto[] = [];
  const errors: string[] = [];
  const parts = spec
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) errors.push('data-bind is empty');
  for (const part of parts) {
    const colon = part.indexOf(':');
    if (colon < 0) {
      errors.push(`"${part}" is not a binding: write <what>:<tag>, e.g. fill:SS01.P1.RUN`);
      continue;
    }
    const kind = part.slice(0, colon).trim();
    const [rawTag = '', ...args] = part
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (!isKind(kind)) {
      errors.push(`unknown binding "${kind}" in "${part}" (known: ${bindingKinds.join(', ')})`);
      continue;
    }
    const invert = rawTag.startsWith('!');
    const tag = invert ? rawTag.slice(1) : rawTag;
    if (tag === '') {
      errors.push(`"${part}" names no tag`);
      continue;
    }
    if (!tagPattern.test(tag)) {
      errors.push(`"${tag}" in "${part}" is not a tag name (AREA.EQUIPMENT.SIGNAL)`);
      continue;
    }
    if (invert && kind !== 'fill' && kind !== 'stroke' && kind !== 'visible') {
      errors.push(`"!" (inverted) applies to fill, stroke and visible, not to ${kind}: "${part}"`);
      continue;
    }
    const nums = numbers(args);
    if (nums === null) {
      errors.push(`"${part}": after the tag only numbers may follow`);
      continue;
    }
    switch (kind) {
      case 'text':
        if (elementName !== 'text' && elementName !== 'tspan')
          errors.push(`text:${tag} needs a <text> or <tspan>, not a <${elementName}>`);
        else if (nums.length > 0) errors.push(`"${part}": text takes no numbers`);
        else bindings.push({ kind: 'text', tag });
        break;
      case 'fill':
      case 'stroke':
      case 'visible':
        if (nums.length > 0) errors.push(`"${part}": ${kind} takes no numbers`);
        else bindings.push({ kind, tag, invert });
        break;
      case 'rotate': {
        if (nums.length !== 0 && nums.length !== 2 && nums.length !== 4) {
          errors.push(`"${part}": write rotate:${tag} [from° to° [min max]]`);
          break;
        }
        const [from = 0, to = 360, min, max] = nums;
        if (min !== undefined && max !== undefined && !(max > min)) {
          errors.push(`"${part}": the value span must be min < max`);
          break;
        }
        bindings.push({
          kind: 'rotate',
          tag,
          from,
          to,
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        });
        break;
      }
      case 'level': {
        if (elementName !== 'rect') {
          errors.push(`level:${tag} fills a <rect>, not a <${elementName}>`);
          break;
        }
        if (nums.length !== 0 && nums.length !== 2) {
          errors.push(`"${part}": write level:${tag} [min max]`);
          break;
        }
        const [min, max] = nums;
        if (min !== undefined && max !== undefined && !(max > min)) {
          errors.push(`"${part}": the value span must be min < max`);
          break;
        }
        bindings.push({
          kind: 'level',
          tag,
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        });
        break;
      }
    }
  }
  const kinds = bindings.map((b) => b.kind);
  const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (twice) errors.push(`two ${twice} bindings on one element`);
  return { bindings, errors };
}

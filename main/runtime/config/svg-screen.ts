/**
 * Screens drawn in an SVG editor (Inkscape, draw.io): parsed at load with a real XML
 * parser, sanitized to a small allowed subset of SVG, and their `data-tag` / `data-bind`
 * attributes turned into bindings (svg-bindings.ts). The console receives only the safe
 * element tree, never the file: it builds the drawing from that tree with DOM calls under
 * its strict CSP. Pure apart from the parser: the caller reads the file.
 *
 * Sanitizing keeps shapes, text, gradients, clip paths, markers and local `<use>`; it drops
 * scripts, `foreignObject`, images, links, `<style>`, editor metadata, every `on…` attribute,
 * every reference that is not to an element of the same drawing (`href="#id"`, `url(#id)`),
 * and `class` (the console's own classes must not be borrowed). Ids are prefixed with the
 * screen's id so two drawings (and the console) never share one.
 */
import sax from 'sax';
import type { SvgBindingDto, SvgDrawingDto, SvgNodeDto } from '../../../preload/contract.js';
import { parseDataBind } from './svg-bindings.js';
import { SVG_ALLOWED_ELEMENTS } from '../../../preload/contract/svg-elements.js';

export interface SvgProblem {
  /** 1-based line in the SVG file, when known. */
  readonly line: number | null;
  /** Where in the drawing: an XPath-ish path with the element's id, e.g. `/svg/g[2]/text[1] (id "t1")`. */
  readonly element: string;
  readonly message: string;
}

export interface SvgScreenResult {
  readonly drawing: SvgDrawingDto;
  readonly problems: SvgProblem[];
  /** What sanitizing dropped (element names and attributes), for the log. */
  readonly removed: string[];
}

export interface SvgScreenOptions {
  /** Prefix for every id of the drawing (e.g. `svg-substation-`). */
  readonly idPrefix: string;
  /** Whether the project has a tag of this name. */
  readonly knownTag: (name: string) => boolean;
  /** Tag name shape (the project's tagNamePattern). */
  readonly tagPattern: RegExp;
}

export const MAX_SVG_BYTES = 8 * 1024 * 1024;
const MAX_NODES = 60_000;
const MAX_DEPTH = 64;

/** Elements whose text content is kept. */
const textElements = new Set(['text', 'tspan', 'textPath', 'title', 'desc']);

/** Geometry and presentation attributes kept (also taken out of `style`, where allowed). */
const allowedAttributes = new Set([
  'id',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'width',
  'height',
  'd',
  'points',
  'dx',
  'dy',
  'rotate',
  'transform',
  'viewBox',
  'preserveAspectRatio',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'pathLength',
  'startOffset',
  'textLength',
  'lengthAdjust',
  'href',
  ...presentationProperties(),
]);

function presentationProperties(): string[] {
  return [
    'fill',
    'fill-opacity',
    'fill-rule',
    'stroke',
    'stroke-width',
    'stroke-opacity',
    'stroke-dasharray',
    'stroke-dashoffset',
    'stroke-linecap',
    'stroke-linejoin',
    'stroke-miterlimit',
    'opacity',
    'visibility',
    'display',
    'clip-path',
    'clip-rule',
    'mask',
    'marker-start',
    'marker-mid',
    'marker-end',
    'stop-color',
    'stop-opacity',
    'font-family',
    'font-size',
    'font-weight',
    'font-style',
    'text-anchor',
    'dominant-baseline',
    'alignment-baseline',
    'baseline-shift',
    'letter-spacing',
    'word-spacing',
    'text-decoration',
    'writing-mode',
    'vector-effect',
    'paint-order',
    'shape-rendering',
  ];
}
const styleProperties = new Set(presentationProperties());

/** A value that could reach outside the drawing or run something. */
const dangerousValue = /javascript:|vbscript:|data:|expression\s*\(|@import|[<>]|\\/i;
const urlReference = /url\(\s*(['"]?)([^)'"]*)\1\s*\)/gi;

/** Line numbers from character offsets. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** `viewBox="0 0 800 600"`, or the numeric width/height of the root. */
function viewBoxOf(attrs: Readonly<Record<string, string>>): [number, number, number, number] | null {
  const vb = attrs.viewBox
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  if (vb && vb.length === 4 && vb.every(Number.isFinite) && vb[2]! > 0 && vb[3]! > 0)
    return [vb[0]!, vb[1]!, vb[2]!, vb[3]!];
  const w = Number.parseFloat(attrs.width ?? '');
  const h = Number.parseFloat(attrs.height ?? '');
  if (Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0 && /^\s*[\d.]+\s*(px)?\s*$/.test(attrs.width ?? ''))
    return [0, 0, w, h];
  return null;
}

interface Building {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: SvgNodeDto[];
  readonly bindings: SvgBindingDto[];
  /** Dropped with everything inside it. */
  readonly dropped: boolean;
  readonly path: string;
  readonly line: number;
  /** How many children of each name so far (for the XPath-ish path). */
  readonly counts: Map<string, number>;
  text: string;
}

/** Parse, sanitize and bind an SVG screen. Problems (bad XML, bad bindings, unknown tags) come back with line and element. */
export function parseSvgScreen(source: string, options: SvgScreenOptions): SvgScreenResult {
  const problems: SvgProblem[] = [];
  const removed = new Set<string>();
  const lineAt = lineIndex(source);
  const parser = sax.parser(true, { position: true, xmlns: false, trim: false, normalize: false });
  const stack: Building[] = [];
  let root: Building | null = null;
  let nodeCount = 0;
  let bound = 0;
  let fatal = false;

  const describe = (b: { path: string; attrs: Record<string, string> }, id: string | undefined): string =>
    id ? `${b.path} (id "${id}")` : b.path;

  const ref = (value: string): string | null => {
    // Only references to this drawing's own elements, renamed with the prefix.
    if (/^\s*#[\w.:-]+\s*$/.test(value)) return `#${options.idPrefix}${value.trim().slice(1)}`;
    return null;
  };

  const cleanValue = (name: string, value: string): string | null => {
    if (name === 'href') return ref(value);
    let unsafe = false;
    const rewritten = value.replace(urlReference, (_whole, _q: string, target: string) => {
      const local = ref(target);
      if (!local) unsafe = true;
      return `url(${local ?? ''})`;
    });
    if (unsafe || dangerousValue.test(rewritten)) return null;
    if (name === 'id') return `${options.idPrefix}${value}`;
    return rewritten;
  };

  parser.onerror = (err) => {
    if (fatal) return;
    fatal = true;
    problems.push({
      line: parser.line + 1,
      element: stack.length ? stack[stack.length - 1]!.path : '(document)',
      message: `not well-formed XML: ${err.message.split('\n')[0]}`,
    });
  };

  parser.ondoctype = () => {
    removed.add('<!DOCTYPE>');
  };

  parser.onopentag = (tag) => {
    if (fatal) return;
    const parent = stack[stack.length - 1];
    const rawName = tag.name;
    const name = rawName.includes(':') ? rawName : rawName;
    const line = lineAt(parser.startTagPosition - 1);
    const counts = parent?.counts ?? new Map<string, number>();
    const index = (counts.get(name) ?? 0) + 1;
    counts.set(name, index);
    const path = `${parent?.path ?? ''}/${name}[${index}]`.replace(/^\/svg\[1\]/, '/svg');
    const rawAttrs = tag.attributes as Record<string, string>;
    const inside = parent?.dropped ?? false;
    nodeCount++;
    if (nodeCount > MAX_NODES && !fatal) {
      fatal = true;
      problems.push({ line, element: path, message: `more than ${MAX_NODES} elements: simplify the drawing` });
      return;
    }
    if (stack.length > MAX_DEPTH && !fatal) {
      fatal = true;
      problems.push({ line, element: path, message: `nested deeper than ${MAX_DEPTH} levels` });
      return;
    }
    const isRoot = stack.length === 0;
    if (isRoot && name !== 'svg') {
      fatal = true;
      problems.push({ line, element: `/${name}`, message: `the root element is <${name}>, not <svg>` });
      return;
    }
    const keep = !inside && SVG_ALLOWED_ELEMENTS.has(name);
    if (!inside && !keep) removed.add(`<${name}>`);
    const attrs: Record<string, string> = {};
    const bindings: SvgBindingDto[] = [];
    const building: Building = {
      name: name === 'switch' ? 'g' : name,
      attrs,
      children: [],
      bindings,
      dropped: !keep,
      path,
      line,
      counts: new Map(),
      text: '',
    };
    if (keep) {
      // style="…" first, so explicit presentation attributes and style agree as CSS would have it: style wins.
      const fromStyle: Record<string, string> = {};
      for (const decl of (rawAttrs.style ?? '').split(';')) {
        const colon = decl.indexOf(':');
        if (colon < 0) continue;
        const prop = decl.slice(0, colon).trim().toLowerCase();
        const value = decl.slice(colon + 1).trim();
        if (styleProperties.has(prop) && value !== '') fromStyle[prop] = value;
        else if (prop !== '') removed.add(`style ${prop}`);
      }
      const all: Record<string, string> = { ...rawAttrs };
      delete all.style;
      Object.assign(all, fromStyle);
      const tagAttr = all['data-tag'];
      const bindAttr = all['data-bind'];
      for (const [rawKey, value] of Object.entries(all)) {
        const key = rawKey === 'xlink:href' ? 'href' : rawKey;
        if (key === 'data-tag' || key === 'data-bind') continue;
        if (
          !allowedAttributes.has(key) ||
          (isRoot && !['viewBox', 'width', 'height', 'preserveAspectRatio'].includes(key))
        ) {
          if (
            !key.startsWith('inkscape:') &&
            !key.startsWith('sodipodi:') &&
            !key.startsWith('xmlns') &&
            key !== 'version'
          )
            removed.add(`@${key}`);
          continue;
        }
        const clean = cleanValue(key, value);
        if (clean === null) {
          removed.add(`@${key}="${value.slice(0, 40)}"`);
          continue;
        }
        attrs[key] = clean;
      }
      const id = rawAttrs.id;
      const where = describe(building, id);
      const checkTags = (list: readonly SvgBindingDto[], attr: string, spec: string) => {
        for (const b of list) {
          if (!options.knownTag(b.tag))
            problems.push({ line, element: where, message: `unknown tag "${b.tag}" in ${attr}="${spec}"` });
        }
      };
      if (tagAttr !== undefined) {
        const tagName = tagAttr.trim();
        if (name !== 'text' && name !== 'tspan') {
          problems.push({
            line,
            element: where,
            message: `data-tag="${tagAttr}" shows a value as text: put it on a <text> or <tspan>, not a <${name}> (data-bind for shapes)`,
          });
        } else if (!options.tagPattern.test(tagName)) {
          problems.push({
            line,
            element: where,
            message: `data-tag="${tagAttr}" is not a tag name (AREA.EQUIPMENT.SIGNAL)`,
          });
        } else {
          const b: SvgBindingDto = { kind: 'text', tag: tagName };
          checkTags([b], 'data-tag', tagAttr);
          bindings.push(b);
        }
      }
      if (bindAttr !== undefined) {
        const parsed = parseDataBind(bindAttr, name, options.tagPattern);
        for (const message of parsed.errors)
          problems.push({ line, element: where, message: `data-bind="${bindAttr}": ${message}` });
        checkTags(parsed.bindings, 'data-bind', bindAttr);
        for (const b of parsed.bindings) {
          if (b.kind === 'text' && bindings.some((x) => x.kind === 'text'))
            problems.push({ line, element: where, message: 'both data-tag and data-bind text: keep one' });
          else bindings.push(b);
        }
      }
      if (bindings.length > 0) bound++;
    } else if (!inside && (rawAttrs['data-tag'] !== undefined || rawAttrs['data-bind'] !== undefined)) {
      problems.push({
        line,
        element: describe(building, rawAttrs.id),
        message: `<${name}> is not drawn (not allowed in a screen), so its data-tag/data-bind cannot show anything`,
      });
    }
    if (isRoot) root = building;
    stack.push(building);
  };

  const appendText = (t: string) => {
    if (fatal) return;
    const top = stack[stack.length - 1];
    if (!top || top.dropped || !textElements.has(top.name)) return;
    top.text += t;
  };
  parser.ontext = appendText;
  parser.oncdata = appendText;

  parser.onclosetag = () => {
    if (fatal) return;
    const b = stack.pop();
    if (!b) return;
    const parent = stack[stack.length - 1];
    // Text runs and child elements in document order: the run so far becomes a text child.
    flushText(b);
    if (b.dropped || !parent || parent.dropped) return;
    parent.children.push(finish(b));
  };

  function flushText(b: Building): void {
    if (b.text === '') return;
    const t = b.text.replace(/\s+/g, ' ');
    if (t.trim() !== '' || b.children.length > 0) b.children.push({ name: '#text', attrs: {}, text: t });
    b.text = '';
  }

  // Mixed content: a text run before a child element is emitted before it.
  const openTag = parser.onopentag;
  parser.onopentag = (tag) => {
    const top = stack[stack.length - 1];
    if (top && !top.dropped) flushText(top);
    openTag(tag);
  };

  function finish(b: Building): SvgNodeDto {
    const onlyText = b.children.length === 1 && b.children[0]!.name === '#text';
    const text = onlyText ? b.children[0]!.text!.trim() : undefined;
    return {
      name: b.name,
      attrs: b.attrs,
      ...(text !== undefined ? { text } : b.children.length > 0 ? { children: b.children } : {}),
      ...(b.bindings.length > 0 ? { bindings: b.bindings } : {}),
    };
  }

  try {
    parser.write(source).close();
  } catch {
    // onerror has recorded it
  }
  const empty: SvgDrawingDto = { viewBox: [0, 0, 100, 100], nodes: [], bound: 0 };
  const top = root as Building | null;
  if (!top) {
    if (problems.length === 0) problems.push({ line: null, element: '(document)', message: 'no <svg> element' });
    return { drawing: empty, problems, removed: [...removed] };
  }
  const rootAttrs = (top as Building).attrs;
  const viewBox = viewBoxOf(rootAttrs);
  if (!viewBox && !fatal)
    problems.push({
      line: top.line,
      element: '/svg',
      message: 'the drawing has no viewBox (or numeric width and height): its size is unknown',
    });
  const drawing: SvgDrawingDto = { viewBox: viewBox ?? [0, 0, 100, 100], nodes: top.children, bound };
  return { drawing, problems, removed: [...removed] };
}

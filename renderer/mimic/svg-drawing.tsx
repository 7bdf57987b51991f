/**
 * An imported SVG screen, live. The runtime sent a sanitized element tree
 * (main/runtime/config/svg-screen.ts); this builds it with DOM calls (no markup parsing, so
 * nothing in it can run under the CSP) and keeps its bound elements current by listening to
 * their tags directly — a thousand bound elements update without a React render each.
 *
 * DOM hooks: a text binding puts `<tspan data-tag data-quality>value unit</tspan>` (plus a
 * quality marker tspan when not Good) into its element; every bound element has
 * `data-bind-tags`, `data-state` and is focusable: click, Enter or Space opens the trend of its tags.
 */
import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { SvgBindingDto, SvgDrawingDto, SvgNodeDto } from '../../preload/contract.js';
import { SVG_ALLOWED_ELEMENTS } from '../../preload/contract/svg-elements.js';
import { useStation } from '../app/station-context.js';
import { DEFAULT_INTERVAL_MS, valueView, type ValueView } from '../format/value-view.js';
import { displayQuality } from '../format/quality.js';
import { useLang, useText } from '../i18n/language.js';
import { mimicText } from './mimic-text.js';
import { useMimicActions } from './mimic-actions.js';
import { boundTags, levelRect, paintClass, rotation, visibility } from './svg-binding.js';
import { TagAlarmAt } from './symbols/common.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Rewrites an element's only text node in place (no node removed and inserted) where it has one. */
function setText(el: Element, text: string): void {
  const node = el.firstChild;
  if (node && node.nodeType === 3 && node === el.lastChild) node.nodeValue = text;
  else el.textContent = text;
}

function safeAttribute(name: string, value: string): boolean {
  if (/^on/i.test(name) || name === 'style' || name === 'class') return false;
  if (name === 'href') return value.startsWith('#');
  return !/javascript:|data:|url\((?!#)/i.test(value);
}

interface Bound {
  readonly el: SVGElement;
  /** The element rotated (a wrapper group, so the drawing's own transform stays). */
  readonly rotor: SVGGElement | null;
  readonly bindings: readonly SvgBindingDto[];
  readonly tags: readonly string[];
  readonly y0: number;
  readonly h0: number;
  /** What is written now, part by part: an update writes only the parts that changed. */
  cls: string;
  state: string;
  hidden: boolean | null;
  value: string;
  quality: string;
  marker: string;
  angle: number | null;
  level: string;
  valueSpan: SVGTSpanElement | null;
  markerSpan: SVGTSpanElement | null;
}

function build(parent: Element, nodes: readonly SvgNodeDto[], bound: Bound[]): void {
  const doc = parent.ownerDocument;
  for (const n of nodes) {
    if (n.name === '#text') {
      parent.appendChild(doc.createTextNode(n.text ?? ''));
      continue;
    }
    if (!SVG_ALLOWED_ELEMENTS.has(n.name)) continue;
    const el = doc.createElementNS(SVG_NS, n.name) as SVGElement;
    for (const [k, v] of Object.entries(n.attrs)) if (safeAttribute(k, v)) el.setAttribute(k, v);
    if (n.text !== undefined) el.textContent = n.text;
    if (n.children) build(el, n.children, bound);
    let attach: SVGElement = el;
    let rotor: SVGGElement | null = null;
    if (n.bindings && n.bindings.length > 0) {
      const tags = boundTags(n.bindings);
      el.setAttribute('data-bind-tags', tags.join(' '));
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.classList.add('bound');
      if (n.bindings.some((b) => b.kind === 'rotate')) {
        rotor = doc.createElementNS(SVG_NS, 'g') as SVGGElement;
        rotor.setAttribute('class', 'bind-rotor');
        rotor.appendChild(el);
        attach = rotor;
      }
      bound.push({
        el,
        rotor,
        bindings: n.bindings,
        tags,
        y0: Number.parseFloat(n.attrs.y ?? ''),
        h0: Number.parseFloat(n.attrs.height ?? ''),
        cls: '',
        state: '',
        hidden: null,
        value: '',
        quality: '',
        marker: '',
        angle: null,
        level: '',
        valueSpan: null,
        markerSpan: null,
      });
    }
    parent.appendChild(attach);
  }
}

export const SvgDrawing = memo(function SvgDrawing({
  screenId,
  drawing,
}: {
  screenId: string;
  drawing: SvgDrawingDto;
}) {
  const ref = useRef<SVGGElement>(null);
  const station = useStation();
  const lang = useLang();
  const t = useText(mimicText);
  const actions = useMimicActions();
  const [markers, setMarkers] = useState<{ tag: string; x: number; y: number }[]>([]);

  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    const bound: Bound[] = [];
    build(root, drawing.nodes, bound);
    const store = station.values;
    const connected = () => station.transport.status().phase === 'connected';

    const update = (b: Bound, now: number, link: boolean) => {
      const infos = station.getSnapshot().tagsByName;
      let cls = 'bound';
      let state = '';
      let unknown = false;
      let text: ValueView | null = null;
      let angle: number | null = null;
      let level: { y: number; height: number } | null = null;
      let hidden = false;
      for (const binding of b.bindings) {
        const value = store.get(binding.tag);
        const info = infos.get(binding.tag);
        const quality = displayQuality({
          value,
          nowMs: now,
          intervalMs: info?.intervalMs ?? DEFAULT_INTERVAL_MS,
          connected: link,
        });
        switch (binding.kind) {
          case 'text':
            text = valueView(binding.tag, value, info, now, link, lang);
            cls += ` ${text.presentation.className}`;
            break;
          case 'fill':
          case 'stroke': {
            const c = paintClass(binding, value, quality);
            cls += ` ${c}`;
            state += `${state ? ' ' : ''}${c.slice(5)}`;
            break;
          }
          case 'visible': {
            const v = visibility(binding, value, quality);
            hidden = v === 'hidden';
            unknown ||= v === 'unknown';
            state += `${state ? ' ' : ''}visible-${v}`;
            break;
          }
          case 'rotate':
            angle = rotation(binding, value, info, quality);
            unknown ||= angle === null;
            break;
          case 'level':
            level = levelRect(binding, value, info, quality, b.y0, b.h0);
            unknown ||= level === null;
            break;
        }
      }
      if (unknown) cls += ' bind-unknown';
      if (!state) state = unknown ? 'unknown' : 'normal';
      const el = b.el;
      if (cls !== b.cls) el.setAttribute('class', (b.cls = cls));
      if (state !== b.state) el.setAttribute('data-state', (b.state = state));
      if (hidden !== b.hidden) {
        b.hidden = hidden;
        el.setAttribute('visibility', hidden ? 'hidden' : 'visible');
      }
      if (text) {
        const shown = text as ValueView;
        if (!b.valueSpan) {
          el.textContent = '';
          b.valueSpan = el.ownerDocument.createElementNS(SVG_NS, 'tspan');
          b.valueSpan.setAttribute('data-tag', shown.tag);
          el.appendChild(b.valueSpan);
        }
        if (shown.text !== b.value) setText(b.valueSpan, (b.value = shown.text));
        if (shown.quality !== b.quality) b.valueSpan.setAttribute('data-quality', (b.quality = shown.quality));
        const marker = shown.presentation.marker;
        if (marker !== b.marker) {
          b.marker = marker;
          if (marker) {
            if (!b.markerSpan) {
              b.markerSpan = el.ownerDocument.createElementNS(SVG_NS, 'tspan');
              b.markerSpan.setAttribute('class', 'svg-qmark');
              el.appendChild(b.markerSpan);
            }
            b.markerSpan.textContent = ` ${marker}`;
          } else {
            b.markerSpan?.remove();
            b.markerSpan = null;
          }
        }
      }
      if (b.rotor && angle !== null && angle !== b.angle) b.rotor.style.transform = `rotate(${(b.angle = angle)}deg)`;
      if (level) {
        const l = level as { y: number; height: number };
        const key = `${l.y} ${l.height}`;
        if (key !== b.level) {
          b.level = key;
          el.setAttribute('y', String(l.y));
          el.setAttribute('height', String(l.height));
        }
      }
    };

    const updateAll = () => {
      const now = Date.now();
      const link = connected();
      for (const b of bound) update(b, now, link);
    };
    updateAll();
    // One listener per element and tag: the tag store spreads a big batch over frames by
    // listeners told, so each listener stands for one element's DOM work.
    const offs = bound.flatMap((b) =>
      b.tags.map((tag) => store.subscribe(tag, () => update(b, Date.now(), connected()))),
    );
    // Staleness and the link change with time, not with values: once a second, and on every link change.
    const timer = setInterval(updateAll, 1000);
    // Tag definitions (units, ranges) arrive with the station's snapshot: redraw when they change.
    let infos = station.getSnapshot().tagsByName;
    const onSnapshot = () => {
      const next = station.getSnapshot().tagsByName;
      if (next === infos) return;
      infos = next;
      updateAll();
    };
    offs.push(() => clearInterval(timer), station.transport.onStatus(updateAll), station.subscribe(onSnapshot));

    // One alarm marker per bound tag, at the top left of its first element.
    const seen = new Set<string>();
    const next: { tag: string; x: number; y: number }[] = [];
    for (const b of bound) {
      for (const tag of b.tags) {
        if (seen.has(tag)) continue;
        seen.add(tag);
        let box = { x: 0, y: 0 };
        try {
          const bb = (b.el as SVGGraphicsElement).getBBox();
          box = { x: bb.x, y: bb.y + bb.height / 2 };
        } catch {
          // not rendered (hidden): the marker goes to the drawing's corner
        }
        next.push({ tag, x: box.x - 12, y: box.y });
      }
    }
    setMarkers(next);
    return () => {
      for (const off of offs) off();
      root.textContent = '';
    };
  }, [drawing, station, lang]);

  const activate = useCallback(
    (target: EventTarget | null) => {
      const el = target instanceof Element ? target.closest('[data-bind-tags]') : null;
      const tags = el?.getAttribute('data-bind-tags')?.split(' ').filter(Boolean) ?? [];
      if (tags.length === 0) return false;
      actions.openTrend(tags);
      return true;
    },
    [actions],
  );
  const onClick = useCallback((e: MouseEvent) => void activate(e.target), [activate]);
  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      if ((e.key === 'Enter' || e.key === ' ') && activate(e.target)) e.preventDefault();
    },
    [activate],
  );
  const title = useMemo(() => t('activateTrend'), [t]);
  return (
    <g className="svg-screen" data-svg-screen={screenId} data-bound={drawing.bound}>
      <g ref={ref} className="svg-drawing" onClick={onClick} onKeyDown={onKeyDown} aria-description={title} />
      <g className="svg-alarm-markers">
        {markers.map((m) => (
          <TagAlarmAt key={m.tag} tag={m.tag} x={m.x} y={m.y} />
        ))}
      </g>
    </g>
  );
});

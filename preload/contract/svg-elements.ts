/**
 * The SVG elements an imported screen may contain: the station's sanitizer keeps only these
 * when it loads a drawing, and the console draws only these from what a station sends (a
 * second fence). One list, so the two cannot drift apart.
 */
export const SVG_ALLOWED_ELEMENTS: ReadonlySet<string> = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'path',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'marker',
  'symbol',
  'use',
  'switch',
]);

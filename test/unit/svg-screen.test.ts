/**
 * SVG screens: the binding language, the sanitizer (nothing that can run or reach outside
 * survives), and the load errors that name the SVG file, its line, the screen, the element
 * and the tag. Also the element-schema checks of project screens (unknown tags, navigation
 * targets) and the demo's sketch drawing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDataBind } from '../../main/runtime/config/svg-bindings.js';
import { parseSvgScreen, type SvgScreenOptions } from '../../main/runtime/config/svg-screen.js';
import { formatProblem, parseProject, ProjectFileError } from '../../main/runtime/config/load-project.js';
import { consoleScreens } from '../../main/runtime/config/project-screens.js';
import { tagNamePattern } from '../../main/runtime/config/schema.js';
import type { SvgNodeDto } from '../../preload/contract.js';

/** The demo project's text, its own sketch screen pointing at the drawing wherever the test loads the text from. */
function demoWithAbsoluteSketch(): string {
  const sketch = new URL('../../assets/demo/screens/substation-sketch.svg', import.meta.url).pathname;
  return readFileSync(new URL('../../assets/demo/plant.yaml', import.meta.url), 'utf8').replace(
    'svg: screens/substation-sketch.svg',
    `svg: ${sketch}`,
  );
}
import { screenSchema } from '../../preload/contract.js';
import { digitalState, levelRect, paintClass, rotation, visibility } from '../../renderer/mimic/svg-binding.js';

const known = new Set(['SS01.P1.RUN', 'SS01.P1.FAULT', 'SS01.CV.POS', 'SS01.EXP.LEVEL', 'SS01.HX.T_SEC_SUP']);
const options: SvgScreenOptions = { idPrefix: 'svg-s-', knownTag: (t) => known.has(t), tagPattern: tagNamePattern };

const svg = (body: string, root = 'viewBox="0 0 400 300"') =>
  `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${root}>\n${body}\n</svg>\n`;

function all(nodes: readonly SvgNodeDto[]): SvgNodeDto[] {
  return nodes.flatMap((n) => [n, ...all(n.children ?? [])]);
}

describe('data-bind language', () => {
  it.each([
    ['fill:SS01.P1.RUN', 'circle', [{ kind: 'fill', tag: 'SS01.P1.RUN', invert: false }]],
    ['stroke:!SS01.P1.RUN', 'path', [{ kind: 'stroke', tag: 'SS01.P1.RUN', invert: true }]],
    ['visible:!SS01.P1.FAULT', 'g', [{ kind: 'visible', tag: 'SS01.P1.FAULT', invert: true }]],
    ['rotate:SS01.CV.POS 0 90', 'line', [{ kind: 'rotate', tag: 'SS01.CV.POS', from: 0, to: 90 }]],
    ['rotate:SS01.CV.POS', 'line', [{ kind: 'rotate', tag: 'SS01.CV.POS', from: 0, to: 360 }]],
    [
      'rotate:SS01.CV.POS -45 45 0 100',
      'line',
      [{ kind: 'rotate', tag: 'SS01.CV.POS', from: -45, to: 45, min: 0, max: 100 }],
    ],
    ['level:SS01.EXP.LEVEL 0 80', 'rect', [{ kind: 'level', tag: 'SS01.EXP.LEVEL', min: 0, max: 80 }]],
    ['text:SS01.HX.T_SEC_SUP', 'text', [{ kind: 'text', tag: 'SS01.HX.T_SEC_SUP' }]],
    [
      ' fill:SS01.P1.RUN ; visible:SS01.P1.FAULT ',
      'circle',
      [
        { kind: 'fill', tag: 'SS01.P1.RUN', invert: false },
        { kind: 'visible', tag: 'SS01.P1.FAULT', invert: false },
      ],
    ],
  ] as const)('%s on <%s>', (spec, element, bindings) => {
    expect(parseDataBind(spec, element, tagNamePattern)).toEqual({ bindings, errors: [] });
  });

  it.each([
    ['colour:SS01.P1.RUN', 'circle', 'unknown binding "colour"'],
    ['SS01.P1.RUN', 'circle', 'is not a binding'],
    ['fill:', 'circle', 'names no tag'],
    ['fill:P1', 'circle', 'is not a tag name'],
    ['level:SS01.EXP.LEVEL', 'circle', 'fills a <rect>, not a <circle>'],
    ['text:SS01.HX.T_SEC_SUP', 'rect', 'needs a <text> or <tspan>'],
    ['rotate:SS01.CV.POS 0', 'line', 'write rotate:SS01.CV.POS [from° to° [min max]]'],
    ['rotate:SS01.CV.POS 0 90 100 0', 'line', 'min < max'],
    ['rotate:!SS01.CV.POS', 'line', '"!" (inverted) applies to fill, stroke and visible'],
    ['level:SS01.EXP.LEVEL zero hundred', 'rect', 'only numbers may follow'],
    ['fill:SS01.P1.RUN; fill:SS01.P1.FAULT', 'circle', 'two fill bindings'],
    ['', 'circle', 'data-bind is empty'],
  ])('%j on <%s> is refused: %s', (spec, element, message) => {
    const { errors } = parseDataBind(spec, element, tagNamePattern);
    expect(errors.join('\n')).toContain(message);
  });
});

describe('parseSvgScreen: a good drawing', () => {
  const result = parseSvgScreen(
    svg(`  <g id="layer1" style="fill:none;stroke-width:2">
    <circle id="p1" cx="100" cy="100" r="20" data-bind="fill:SS01.P1.RUN" />
    <text id="t" x="10" y="20" style="font-size:16px">T <tspan data-tag="SS01.HX.T_SEC_SUP">--</tspan></text>
    <rect id="lvl" x="200" y="50" width="40" height="100" data-bind="level:SS01.EXP.LEVEL" />
    <path d="M0,0 L10,10" marker-end="url(#arrow)" />
    <use xlink:href="#p1" x="50" />
  </g>`),
    options,
  );

  it('has no problems, its viewBox, and counts bound elements', () => {
    expect(result.problems).toEqual([]);
    expect(result.drawing.viewBox).toEqual([0, 0, 400, 300]);
    expect(result.drawing.bound).toBe(3);
  });

  it('keeps shapes and text, turns style into attributes, prefixes ids and their references', () => {
    const nodes = all(result.drawing.nodes);
    const g = nodes.find((n) => n.name === 'g')!;
    expect(g.attrs).toEqual({ id: 'svg-s-layer1', fill: 'none', 'stroke-width': '2' });
    expect(nodes.find((n) => n.name === 'path')!.attrs['marker-end']).toBe('url(#svg-s-arrow)');
    expect(nodes.find((n) => n.name === 'use')!.attrs.href).toBe('#svg-s-p1');
    const text = nodes.find((n) => n.name === 'text')!;
    expect(text.children?.map((c) => c.name)).toEqual(['#text', 'tspan']);
    expect(text.children?.[1]).toMatchObject({
      name: 'tspan',
      text: '--',
      bindings: [{ kind: 'text', tag: 'SS01.HX.T_SEC_SUP' }],
    });
    expect(nodes.find((n) => n.name === 'circle')!.bindings).toEqual([
      { kind: 'fill', tag: 'SS01.P1.RUN', invert: false },
    ]);
  });

  it('takes the size from width and height when there is no viewBox', () => {
    expect(
      parseSvgScreen(svg('<rect width="1" height="1"/>', 'width="640" height="480"'), options).drawing.viewBox,
    ).toEqual([0, 0, 640, 480]);
  });
});

describe('parseSvgScreen: bad bindings name the element, its line and the tag', () => {
  it('an unknown tag', () => {
    const r = parseSvgScreen(
      svg(`<g>\n  <rect width="5" height="5"/>\n  <circle id="p9" r="5" data-bind="fill:SS01.P9.RUN"/>\n</g>`),
      options,
    );
    expect(r.problems).toEqual([
      {
        line: 5,
        element: '/svg/g[1]/circle[1] (id "p9")',
        message: 'unknown tag "SS01.P9.RUN" in data-bind="fill:SS01.P9.RUN"',
      },
    ]);
  });

  it('an unknown tag in data-tag, without an id: the XPath-ish place', () => {
    const r = parseSvgScreen(
      svg(`<text x="1" y="1">a</text>\n<text x="1" y="2"><tspan data-tag="SS01.NOPE.T">-</tspan></text>`),
      options,
    );
    expect(r.problems).toEqual([
      { line: 4, element: '/svg/text[2]/tspan[1]', message: 'unknown tag "SS01.NOPE.T" in data-tag="SS01.NOPE.T"' },
    ]);
  });

  it('data-tag on a shape, a bad binding word, a binding on something that is not drawn', () => {
    const r = parseSvgScreen(
      svg(
        `<rect id="r" data-tag="SS01.P1.RUN"/>\n<circle id="c" data-bind="blink:SS01.P1.RUN"/>\n<image id="i" href="x.png" data-bind="visible:SS01.P1.RUN"/>`,
      ),
      options,
    );
    expect(r.problems.map((p) => `${p.line} ${p.element}: ${p.message}`)).toEqual([
      '3 /svg/rect[1] (id "r"): data-tag="SS01.P1.RUN" shows a value as text: put it on a <text> or <tspan>, not a <rect> (data-bind for shapes)',
      '4 /svg/circle[1] (id "c"): data-bind="blink:SS01.P1.RUN": unknown binding "blink" in "blink:SS01.P1.RUN" (known: text, fill, stroke, visible, rotate, level)',
      '5 /svg/image[1] (id "i"): <image> is not drawn (not allowed in a screen), so its data-tag/data-bind cannot show anything',
    ]);
  });

  it('XML that is not well-formed, and a root that is not svg', () => {
    expect(parseSvgScreen('<svg viewBox="0 0 1 1"><g></svg>', options).problems[0]!.message).toMatch(
      /^not well-formed XML/,
    );
    expect(parseSvgScreen('<html><body/></html>', options).problems[0]!.message).toBe(
      'the root element is <html>, not <svg>',
    );
    expect(parseSvgScreen(svg('<rect/>', ''), options).problems[0]!.message).toMatch(/no viewBox/);
  });
});

describe('parseSvgScreen: hostile drawings are defused', () => {
  const hostile = svg(`<script>alert(1)</script>
<script xlink:href="https://evil.example/x.js"/>
<g onload="alert(2)" onclick="steal()" id="g1">
  <rect width="10" height="10" onmouseover="alert(3)" style="fill:url(https://evil.example/p.svg#x);stroke:red;behavior:url(x.htc)"/>
  <a xlink:href="javascript:alert(4)"><text>click me</text></a>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <use href="data:image/svg+xml;base64,PHN2Zz4="/>
  <image xlink:href="https://evil.example/track.png" width="1" height="1"/>
  <image href="data:image/png;base64,AAAA" width="1" height="1"/>
  <foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></div></foreignObject>
  <style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/y) }</style>
  <set attributeName="onclick" to="alert(5)"/>
  <animate attributeName="href" to="javascript:alert(6)"/>
  <text x="1" y="1" fill="javascript:alert(7)" class="header">ok<tspan onclick="alert(8)">!</tspan></text>
</g>`);
  const r = parseSvgScreen(hostile, options);
  const json = JSON.stringify(r.drawing);

  it('loads (hostile content is dropped, not an error) and keeps the harmless part', () => {
    expect(r.problems).toEqual([]);
    const names = all(r.drawing.nodes).map((n) => n.name);
    expect(names.filter((n) => n !== '#text').sort()).toEqual(['g', 'rect', 'text', 'tspan', 'use', 'use'].sort());
    expect(json).toContain('"stroke":"red"');
  });

  it('no script, event handler, external or javascript: reference, foreignObject, image, style sheet or animation survives', () => {
    expect(json).not.toMatch(
      /script|alert|evil\.example|javascript|foreignObject|iframe|image|@import|"on[a-z]+"|animate|"set"|behavior|data:/i,
    );
    for (const use of all(r.drawing.nodes).filter((n) => n.name === 'use')) expect(use.attrs.href).toBeUndefined();
    expect(all(r.drawing.nodes).find((n) => n.name === 'rect')!.attrs.fill).toBeUndefined();
  });

  it("class attributes are dropped (the console's own classes cannot be borrowed)", () => {
    expect(json).not.toContain('header');
  });

  it('reports what it removed', () => {
    expect(r.removed).toEqual(
      expect.arrayContaining([
        '<script>',
        '<foreignObject>',
        '<image>',
        '<style>',
        '<a>',
        '@onload',
        '@onclick',
        '@onmouseover',
      ]),
    );
  });

  it('an entity declaration cannot pull in a file', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>`;
    const out = parseSvgScreen(xxe, options);
    expect(JSON.stringify(out.drawing)).not.toContain('root:');
  });
});

describe('svg screens in the project file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-svg-screen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const demo = demoWithAbsoluteSketch();
  const withScreen = (entry: string) => demo.replace(/^screens:\n/m, `screens:\n${entry}`);

  it('loads the demo sketch: sized by its viewBox, bound, and sent to the console as a drawing', () => {
    mkdirSync(join(dir, 'screens'), { recursive: true });
    writeFileSync(
      join(dir, 'screens', 'sketch.svg'),
      readFileSync(new URL('../../assets/demo/screens/substation-sketch.svg', import.meta.url)),
    );
    const project = parseProject(
      withScreen('  - {id: drawn, title: Sketch, svg: screens/sketch.svg}\n'),
      join(dir, 'plant.yaml'),
    );
    const screen = consoleScreens(project).find((s) => s.id === 'drawn')!;
    expect(screenSchema.parse(screen)).toBeTruthy();
    expect(screen).toMatchObject({ width: 1200, height: 700, elements: [] });
    expect(screen.svg!.bound).toBeGreaterThanOrEqual(15);
    expect(JSON.stringify(screen.svg)).not.toMatch(/sodipodi|inkscape/);
  });

  it('a bad binding is a load error naming the SVG file and line, the screen, the element and the tag', () => {
    writeFileSync(
      join(dir, 'bad.svg'),
      svg(`<g id="pumps">\n  <circle id="p1" r="9" data-bind="fill:SS01.P7.RUN"/>\n</g>`),
    );
    let error: unknown;
    try {
      parseProject(withScreen('  - {id: broken, title: Broken, svg: bad.svg}\n'), join(dir, 'plant.yaml'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ProjectFileError);
    const lines = (error as ProjectFileError).problems.map(formatProblem);
    expect(lines).toEqual([
      expect.stringMatching(
        /bad\.svg:4 screen "broken" \/svg\/g\[1\]\/circle\[1\] \(id "p1"\): unknown tag "SS01\.P7\.RUN" in data-bind="fill:SS01\.P7\.RUN"$/,
      ),
    ]);
  });

  it('a missing SVG file is an error at the screen entry of the project file', () => {
    let error: unknown;
    try {
      parseProject(withScreen('  - {id: gone, title: Gone, svg: nowhere.svg}\n'), join(dir, 'plant.yaml'));
    } catch (err) {
      error = err;
    }
    const p = (error as ProjectFileError).problems[0]!;
    expect(p.path).toBe('screens[0].svg');
    expect(p.line).toBe(demo.slice(0, demo.indexOf('\nscreens:\n')).split('\n').length + 2);
    expect(p.message).toMatch(/^screen "gone": cannot read .*nowhere\.svg/);
  });
});

describe('project screen elements', () => {
  const demo = demoWithAbsoluteSketch();
  const withScreen = (entry: string) => demo.replace(/^screens:\n/m, `screens:\n${entry}`);
  const problemsOf = (entry: string): string[] => {
    try {
      parseProject(withScreen(entry), 'plant.yaml');
      return [];
    } catch (err) {
      return (err as ProjectFileError).problems.map(formatProblem);
    }
  };

  it('every new kind loads with its bindings', () => {
    expect(
      problemsOf(`  - id: kinds
    title: Kinds
    elements:
      - {kind: fan, x: 10, y: 10, label: F, runTag: SS01.P1.RUN, faultTag: SS01.P1.FAULT, rotation: 90}
      - {kind: motor, x: 10, y: 10, label: M, runTag: SS01.P1.RUN}
      - {kind: on-off-valve, x: 10, y: 10, label: XV, openTag: SS01.P1.RUN}
      - {kind: transmitter, x: 10, y: 10, tag: SS01.HX.T_SEC_SUP, letters: TT, number: "101"}
      - {kind: analog-bar, x: 10, y: 10, tag: SS01.HX.T_SEC_SUP, length: 200}
      - {kind: readout, x: 10, y: 10, tag: SS01.HX.T_SEC_SUP}
      - {kind: lamp, x: 10, y: 10, tag: SS01.P1.FAULT, label: Trip, abnormal: true}
      - {kind: sparkline, x: 10, y: 10, tag: SS01.HX.T_SEC_SUP, minutes: 30}
      - {kind: nav-button, x: 10, y: 10, label: Overview, screen: overview}
      - {kind: pipe, medium: makeup, points: [[0, 0], [10, 0]], flowTag: SS01.MU.RUN}
      - {kind: heat-exchanger, x: 10, y: 10, label: HX, tags: [SS01.HX.T_SEC_SUP]}
`),
    ).toEqual([]);
  });

  it('an unknown tag names the screen, the element by index and kind, and the tag, at its line', () => {
    const first = demo.slice(0, demo.indexOf('\nscreens:\n')).split('\n').length + 1;
    expect(
      problemsOf(`  - id: broken
    title: Broken
    elements:
      - {kind: label, text: hello, x: 1, y: 1}
      - {kind: pump, x: 10, y: 10, label: P9, runTag: SS01.P9.RUN}
      - {kind: meter, x: 1, y: 1, label: M, tags: [SS01.HM.POWER, SS01.HM.NOPE]}
      - {kind: nav-button, x: 10, y: 10, label: Away, screen: nowhere}
`),
    ).toEqual([
      `plant.yaml:${first + 5} screens[0].elements[1].runTag: screen "broken", element 1 (pump "P9"): unknown tag "SS01.P9.RUN"`,
      `plant.yaml:${first + 6} screens[0].elements[2].tags[1]: screen "broken", element 2 (meter "M"): unknown tag "SS01.HM.NOPE"`,
      expect.stringMatching(
        new RegExp(
          `^plant\\.yaml:${first + 7} screens\\[0\\]\\.elements\\[3\\]\\.screen: screen "broken", element 3 \\(nav-button "Away"\\): no screen "nowhere"`,
        ),
      ),
    ]);
  });

  it('a wrong field is a schema error at its line', () => {
    expect(
      problemsOf(
        `  - {id: x, title: X, elements: [{kind: transmitter, x: 1, y: 1, tag: SS01.HX.T_SEC_SUP, letters: tt}]}\n`,
      )[0],
    ).toMatch(/screens\[0\]\.elements\[0\]\.letters/);
  });
});

describe('binding resolution in the console', () => {
  const v = (x: boolean | number | null) => ({ tag: 'T', v: x, q: 'Good' as const, ts: 0, rt: 0 });
  it('digital states, inverted, unknown when not Good', () => {
    expect(digitalState(v(true), 'Good', false)).toBe('on');
    expect(digitalState(v(true), 'Good', true)).toBe('off');
    expect(digitalState(v(0), 'Good', false)).toBe('off');
    expect(digitalState(v(true), 'Stale', false)).toBe('unknown');
    expect(digitalState(v(null), 'Good', false)).toBe('unknown');
    expect(paintClass({ kind: 'fill', tag: 'T', invert: false }, v(true), 'Good')).toBe('bind-fill-on');
    expect(paintClass({ kind: 'stroke', tag: 'T', invert: false }, v(true), 'Bad')).toBe('bind-stroke-unknown');
    expect(visibility({ kind: 'visible', tag: 'T', invert: true }, v(false), 'Good')).toBe('shown');
    expect(visibility({ kind: 'visible', tag: 'T', invert: false }, v(false), 'Good')).toBe('hidden');
    expect(visibility({ kind: 'visible', tag: 'T', invert: false }, v(true), 'Uncertain')).toBe('unknown');
  });

  it('angles and levels over the tag range or the given span, none when not Good', () => {
    expect(rotation({ kind: 'rotate', tag: 'T', from: 0, to: 90 }, v(50), { range: [0, 100] }, 'Good')).toBe(45);
    expect(
      rotation({ kind: 'rotate', tag: 'T', from: 0, to: 90, min: 0, max: 50 }, v(75), { range: [0, 100] }, 'Good'),
    ).toBe(90);
    expect(rotation({ kind: 'rotate', tag: 'T', from: 0, to: 90 }, v(50), { range: [0, 100] }, 'Bad')).toBeNull();
    expect(levelRect({ kind: 'level', tag: 'T' }, v(25), { range: [0, 100] }, 'Good', 100, 200)).toEqual({
      y: 250,
      height: 50,
    });
    expect(levelRect({ kind: 'level', tag: 'T', min: 0, max: 50 }, v(50), undefined, 'Good', 0, 10)).toEqual({
      y: 0,
      height: 10,
    });
    expect(levelRect({ kind: 'level', tag: 'T' }, v(25), { range: [0, 100] }, 'Stale', 100, 200)).toBeNull();
  });
});

/**
 * Turning a browsed OPC UA variable into a project tag: a name in AREA.EQUIPMENT.SIGNAL
 * form from the node's browse path, the tag kind from its data type, and the add-tag form
 * with its checks (the same rules as the contract's `project.addTag`, so the engineer sees
 * a problem next to the field before anything is sent). Pure.
 */
import type { BrowseEntryDto, RequestParams } from '../../preload/contract.js';

export type TagKind = 'analog' | 'digital' | 'text';

/** The contract's tag-name rule. */
export const TAG_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

/** "1:HX" → "HX": a browse name without its namespace index. */
export function stripNamespace(browseName: string): string {
  return browseName.replace(/^\d+:/, '');
}

/** One name segment: letters, digits and underscores, upper case ("Supply temp." → "SUPPLY_TEMP"). */
export function nameSegment(text: string): string {
  return stripNamespace(text)
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/**
 * A tag name from the browse names below the Objects folder, e.g. ["1:SS01", "1:HX",
 * "1:T_SEC_SUP"] → "SS01.HX.T_SEC_SUP". The first segment is the area, the last the
 * signal, and anything between is joined with "_" into the equipment. A path of one node
 * gets the device name as its area. The name always matches the contract's rule.
 */
export function suggestTagName(browsePath: readonly string[], deviceName = 'DEVICE'): string {
  // Browse names that are only a dotted path themselves ("SS01.HX.T") count as several segments.
  let segments = browsePath
    .flatMap((p) => stripNamespace(p).split('.'))
    .map(nameSegment)
    .filter((s) => s.length > 0);
  if (segments.length === 0) segments = ['SIGNAL'];
  if (segments.length === 1) segments = [nameSegment(deviceName) || 'DEVICE', ...segments];
  if (segments.length > 3) segments = [segments[0]!, segments.slice(1, -1).join('_'), segments[segments.length - 1]!];
  // The first character of a name must be a letter.
  if (!/^[A-Z]/.test(segments[0]!)) segments[0] = `A${segments[0]}`;
  return segments.join('.');
}

/** OPC UA built-in data types by name and by their numeric node id in namespace 0. */
const builtInTypes: Record<string, string> = {
  'i=1': 'Boolean',
  'i=2': 'SByte',
  'i=3': 'Byte',
  'i=4': 'Int16',
  'i=5': 'UInt16',
  'i=6': 'Int32',
  'i=7': 'UInt32',
  'i=8': 'Int64',
  'i=9': 'UInt64',
  'i=10': 'Float',
  'i=11': 'Double',
  'i=12': 'String',
  'i=13': 'DateTime',
  'i=21': 'LocalizedText',
  'i=26': 'Number',
  'i=27': 'Integer',
  'i=28': 'UInteger',
};

/** "ns=0;i=11", "i=11", "Double" → "Double"; unknown types come back as given. */
export function dataTypeName(dataType: string | undefined): string | undefined {
  if (dataType === undefined) return undefined;
  const t = dataType.trim().replace(/^ns=0;/, '');
  return builtInTypes[t] ?? t;
}

const integerTypes = new Set([
  'SByte',
  'Byte',
  'Int16',
  'UInt16',
  'Int32',
  'UInt32',
  'Int64',
  'UInt64',
  'Integer',
  'UInteger',
]);
const floatTypes = new Set(['Float', 'Double', 'Number', 'Decimal']);
const textTypes = new Set(['String', 'LocalizedText']);

/** Boolean → digital, String → text, numbers → analog; null for types a tag cannot hold (dates, structures…). */
export function kindFromDataType(dataType: string | undefined): TagKind | null {
  const name = dataTypeName(dataType);
  if (name === undefined) return null;
  if (name === 'Boolean') return 'digital';
  if (textTypes.has(name)) return 'text';
  if (integerTypes.has(name) || floatTypes.has(name)) return 'analog';
  return null;
}

/** Integers show no decimals; floating-point values one. */
export function decimalsFromDataType(dataType: string | undefined): number {
  const name = dataTypeName(dataType);
  return name !== undefined && integerTypes.has(name) ? 0 : 1;
}

/** The add-tag form as the engineer edits it: text fields stay text until submitted. */
export interface AddTagForm {
  readonly device: string;
  readonly nodeId: string;
  readonly name: string;
  readonly descriptionEn: string;
  readonly descriptionZh: string;
  readonly unit: string;
  readonly kind: TagKind;
  readonly rangeMin: string;
  readonly rangeMax: string;
  readonly decimals: string;
  readonly writable: boolean;
}

/** The form prefilled from a browsed variable and its browse path (below Objects). */
export function addTagFormFromNode(device: string, browsePath: readonly string[], node: BrowseEntryDto): AddTagForm {
  const kind = kindFromDataType(node.dataType) ?? 'analog';
  return {
    device,
    nodeId: node.nodeId,
    name: suggestTagName(browsePath, device),
    descriptionEn: node.displayName.trim() || stripNamespace(node.browseName),
    descriptionZh: '',
    unit: kind === 'analog' ? (node.engineeringUnit ?? '').slice(0, 20) : '',
    kind,
    rangeMin: '',
    rangeMax: '',
    decimals: kind === 'analog' ? String(decimalsFromDataType(node.dataType)) : '0',
    writable: node.writable ?? false,
  };
}

export type AddTagField = 'name' | 'descriptionEn' | 'descriptionZh' | 'unit' | 'range' | 'decimals';

export type AddTagCheck =
  | { readonly ok: true; readonly params: RequestParams<'project.addTag'> }
  | { readonly ok: false; readonly problems: Partial<Record<AddTagField, string>> };

function parseNumber(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Checks the form and builds the `project.addTag` parameters, or says what is wrong per field. */
export function checkAddTagForm(form: AddTagForm): AddTagCheck {
  const problems: Partial<Record<AddTagField, string>> = {};
  const name = form.name.trim();
  if (!TAG_NAME_PATTERN.test(name))
    problems.name =
      'Tag names look like AREA.EQUIPMENT.SIGNAL: letters, digits and _ between dots, starting with a letter.';
  const en = form.descriptionEn.trim();
  if (en === '') problems.descriptionEn = 'An English description is required.';
  else if (en.length > 200) problems.descriptionEn = 'At most 200 characters.';
  const zh = form.descriptionZh.trim();
  if (zh.length > 200) problems.descriptionZh = 'At most 200 characters.';
  const unit = form.unit.trim();
  if (unit.length > 20) problems.unit = 'At most 20 characters.';

  let range: [number, number] | undefined;
  if (form.kind === 'analog' && (form.rangeMin.trim() !== '' || form.rangeMax.trim() !== '')) {
    const lo = parseNumber(form.rangeMin);
    const hi = parseNumber(form.rangeMax);
    if (lo === null || hi === null) problems.range = 'Give both ends of the range as numbers, or leave both empty.';
    else if (!(lo < hi)) problems.range = 'The range minimum must be below the maximum.';
    else range = [lo, hi];
  }
  const decimalsText = form.decimals.trim();
  const decimals = decimalsText === '' ? 1 : /^\d+$/.test(decimalsText) ? Number(decimalsText) : NaN;
  if (!(Number.isInteger(decimals) && decimals >= 0 && decimals <= 6))
    problems.decimals = 'Decimals: a whole number from 0 to 6.';

  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    params: {
      device: form.device,
      nodeId: form.nodeId,
      name,
      description: zh === '' ? { en } : { en, zh },
      unit: form.kind === 'analog' ? unit : '',
      kind: form.kind,
      ...(range ? { range } : {}),
      decimals: form.kind === 'analog' ? decimals : 0,
      writable: form.writable,
    },
  };
}

/** What the engineer reads after the runtime added the tag. */
export function addTagResultText(result: { name: string; projectFile: string; appliesAfterRestart: boolean }): string {
  const when = result.appliesAfterRestart
    ? 'It is not polled yet: restart the station runtime to start reading it.'
    : 'It is polled now.';
  return `${result.name} is now in the project file ${result.projectFile}. ${when}`;
}

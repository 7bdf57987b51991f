/**
 * The operator sets an ONNX file imports, read straight from its protobuf bytes
 * (ModelProto field 8, `opset_import`: OperatorSetIdProto { domain = 1, version = 2 }),
 * so a model that needs a newer opset than this runtime runs is refused before loading,
 * with a message that says so. Pure; no protobuf library needed for two fields.
 */

export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.bytes.length) throw new Error('truncated varint');
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }
  slice(length: number): Uint8Array {
    if (this.pos + length > this.bytes.length) throw new Error('truncated field');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.slice(8);
    else if (wireType === 2) this.slice(this.varint());
    else if (wireType === 5) this.slice(4);
    else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
}

/** Every opset the model imports; throws when the bytes are not a readable ONNX model. */
export function readOpsetImports(bytes: Uint8Array): OpsetImport[] {
  const model = new Reader(bytes);
  const out: OpsetImport[] = [];
  while (!model.done) {
    const key = model.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 8 && wireType === 2) {
      const entry = new Reader(model.slice(model.varint()));
      let domain = '';
      let version = 0;
      while (!entry.done) {
        const k = entry.varint();
        if (k >> 3 === 1 && (k & 7) === 2) domain = new TextDecoder().decode(entry.slice(entry.varint()));
        else if (k >> 3 === 2 && (k & 7) === 0) version = entry.varint();
        else entry.skip(k & 7);
      }
      out.push({ domain, version });
    } else {
      model.skip(wireType);
    }
  }
  return out;
}

/** The default-domain opset ("" or "ai.onnx"), or null when the model imports none. */
export function defaultOpset(imports: readonly OpsetImport[]): number | null {
  const found = imports.filter((i) => i.domain === '' || i.domain === 'ai.onnx').map((i) => i.version);
  return found.length === 0 ? null : Math.max(...found);
}

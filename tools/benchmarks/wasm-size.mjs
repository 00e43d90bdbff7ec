// Size of a .wasm by section and by function, from its name section (a build
// linked with --profiling-funcs; see profile-build.sh). Functions are grouped by
// where they come from: Dear ImGui, Causerie, libc++, JSON, libc/malloc, Emscripten.
//   node tools/benchmarks/wasm-size.mjs file.wasm [--json out.json] [--top 30]
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zc } from 'node:zlib';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'datacount'];

export function analyseWasm(bytes) {
  let pos = 0;
  const u32 = () => {
    let result = 0, shift = 0, b;
    do {
      b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  const name = () => {
    const n = u32();
    const s = Buffer.from(bytes.subarray(pos, pos + n)).toString('utf8');
    pos += n;
    return s;
  };
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm file');
  pos = 8;
  const sections = [];
  let importedFunctions = 0;
  const bodies = [];     // [{index, size}]
  const names = new Map();
  let dataSegments = [];
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const start = pos;
    const end = pos + size;
    let label = SECTION_NAMES[id] || `section ${id}`;
    if (id === 0) {
      const n = name();
      label = `custom "${n}"`;
      if (n === 'name') {
        while (pos < end) {
          const sub = bytes[pos++];
          const subSize = u32();
          const subEnd = pos + subSize;
          if (sub === 1) {
            const count = u32();
            for (let i = 0; i < count; i++) {
              const index = u32();
              names.set(index, name());
            }
          }
          pos = subEnd;
        }
      }
    } else if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        name(); name();
        const kind = bytes[pos++];
        if (kind === 0) { u32(); importedFunctions++; }
        else if (kind === 1) { pos++; const flags = u32(); u32(); if (flags & 1) u32(); }
        else if (kind === 2) { const flags = u32(); u32(); if (flags & 1) u32(); }
        else if (kind === 3) { pos += 2; }
      }
    } else if (id === 10) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const bodySize = u32();
        bodies.push({ index: importedFunctions + i, size: bodySize, offset: pos });
        pos += bodySize;
      }
    } else if (id === 11) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const flags = u32();
        if (flags === 2) u32();
        if (flags !== 1) {  // an offset expression up to `end`
          while (bytes[pos] !== 0x0b) pos++;
          pos++;
        }
        const n = u32();
        dataSegments.push(n);
        pos += n;
      }
    }
    sections.push({ id, name: label, size: end - start });
    pos = end;
  }
  const functions = bodies.map((b) => ({
    name: names.get(b.index) || `function[${b.index}]`,
    size: b.size,
    bytes: bytes.subarray(b.offset, b.offset + b.size),
  }));
  return { sections, functions, dataBytes: dataSegments.reduce((a, b) => a + b, 0), total: bytes.length };
}

export function groupOf(name) {
  if (/^(ImGui|Im[A-Z]|stb|STB|ImStb|ImFont|ImDraw|ImVector|ImPool|ImChunk|ImSpan|ImBit|ImTri|ImHash|ImStr|ImQsort|ImFormat|ImParse|ImTextStr|ImUpper|ImFile|ImLinked|ImAlphaBlend|ImBezier|ImLine|ImMul|ImTrunc|ImFloor|ImRect|ImVec)/.test(name) ||
      /(stbtt|stbrp|stb_|ImGui|ImDrawList|ImFontAtlas|ImFont|ImGuiTextBuffer)/.test(name)) return 'Dear ImGui (+ stb_truetype, stb_rect_pack)';
  if (/nlohmann/.test(name)) return 'nlohmann::json';
  if (/causerie/.test(name)) return 'Causerie (core, widget, platform)';
  if (/^(std::|void std::|bool std::|.*std::__2::)/.test(name)) return 'libc++ (templates, strings, containers)';
  if (/^(emscripten|_emscripten|em_|__em|emmalloc|dlmalloc|stackAlloc|stackSave|stackRestore|__wasm|dynCall|legalstub)/.test(name)) return 'Emscripten runtime';
  if (/^(__cxa|__cxx|__dynamic_cast|__gxx|operator new|operator delete|__class_type|__si_class|__vmi_class|__fundamental|__pointer|abort_message)/.test(name)) return 'libc++abi';
  return 'libc, malloc, compiler-rt and other';
}

function brotli(buf) {
  return brotliCompressSync(buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args[0];
  const opt = (k, d) => (args.indexOf(k) >= 0 ? args[args.indexOf(k) + 1] : d);
  const top = Number(opt('--top', 30));
  const bytes = readFileSync(file);
  const a = analyseWasm(bytes);
  const codeTotal = a.functions.reduce((s, f) => s + f.size, 0);
  // Groups: raw code bytes, and brotli of the group's bodies concatenated (a fair
  // share of what each group costs on the wire, though brotli shares context).
  const groups = new Map();
  for (const f of a.functions) {
    const g = groupOf(f.name);
    if (!groups.has(g)) groups.set(g, { group: g, functions: 0, size: 0, parts: [] });
    const e = groups.get(g);
    e.functions++;
    e.size += f.size;
    e.parts.push(f.bytes);
  }
  const groupRows = [...groups.values()].map((g) => ({ group: g.group, functions: g.functions, size: g.size,
    brotli: brotli(Buffer.concat(g.parts)) })).sort((x, y) => y.size - x.size);
  const topFunctions = [...a.functions].sort((x, y) => y.size - x.size).slice(0, top)
    .map((f) => ({ name: f.name, size: f.size, group: groupOf(f.name) }));
  const out = {
    file, total: a.total, codeTotal, dataBytes: a.dataBytes, functionCount: a.functions.length,
    sections: a.sections.filter((s) => !s.name.startsWith('custom "name"')), groups: groupRows, topFunctions,
    namedFunctions: a.functions.filter((f) => !f.name.startsWith('function[')).length,
  };
  if (opt('--json')) writeFileSync(opt('--json'), JSON.stringify(out, null, 1));
  console.log(`wasm by section (${file}, name section excluded):`);
  for (const s of out.sections) console.log(`  ${s.name.padEnd(22)} ${String(s.size).padStart(9)}`);
  console.log(`wasm code by origin (${out.functionCount} functions, ${codeTotal} bytes of code; data ${a.dataBytes} bytes):`);
  for (const g of groupRows)
    console.log(`  ${g.group.padEnd(44)} ${String(g.functions).padStart(5)} fns ${String(g.size).padStart(9)} B ${(100 * g.size / codeTotal).toFixed(1).padStart(5)} %  brotli alone ${g.brotli}`);
  console.log(`largest functions:`);
  for (const f of topFunctions.slice(0, 15)) console.log(`  ${String(f.size).padStart(7)}  ${f.name.slice(0, 110)}`);
}

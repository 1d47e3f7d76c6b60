// The part of a context a template can read, written as JSON text for the wasm module. The Rust
// core lists the template's read paths (LiquidService.reads, flowpen-liquid's `Reads`): keys, and
// `null` for any element of an array (an index, `first`, `last`). The value at the end of a path
// is taken whole; the objects along it keep only its keys, the arrays along it keep their length
// with each element taken through the rest of the path; anything else on the way (a key of an
// array, an index of an object, a scalar, a value with toJSON) is taken whole. Rendering against
// it gives what the whole context gives (flowpen-liquid's tests/reads.rs checks that rule with a
// Rust copy of this walk), and only what the template reads crosses into the module.
//
// `plan(paths)` turns the paths into a tree once per template; `write(context, tree)` walks the
// context along it and writes the JSON directly (no intermediate objects), with JSON.stringify
// for what is taken whole.

const hasOwn = Object.prototype.hasOwnProperty;

/** A tree of the paths: `{ keys: [[key, keyJson, node]], each: node | null }`; a leaf is null. */
export function plan(paths) {
  const root = { keys: [], each: null };
  for (const path of paths) {
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (seg === null) {
        if (node.each === undefined) break; // already whole
        if (last) {
          node.each = undefined;
          break;
        }
        node.each ??= { keys: [], each: null };
        node = node.each;
      } else {
        let entry = node.keys.find((e) => e[0] === seg);
        if (!entry) {
          entry = [seg, JSON.stringify(seg), last ? null : { keys: [], each: null }];
          node.keys.push(entry);
        } else if (last) {
          entry[2] = null;
        }
        if (last || entry[2] === null) break;
        node = entry[2];
      }
    }
  }
  return root;
}

const whole = (v) => (v === undefined ? undefined : JSON.stringify(v));

/** JSON text of what `node` reads of `v` (`undefined`: nothing, as JSON.stringify skips it). */
function write(v, node) {
  if (node === null || v === null || typeof v !== 'object' || typeof v.toJSON === 'function') return whole(v);
  if (Array.isArray(v)) {
    if (node.each === null || node.each === undefined) return JSON.stringify(v);
    let out = '[';
    for (let k = 0; k < v.length; k++) {
      const item = write(v[k], node.each);
      out += (k === 0 ? '' : ',') + (item === undefined ? 'null' : item);
    }
    return `${out}]`;
  }
  // An index of an object (a computed key) may be any key: the object is read whole.
  if (node.each !== null) return JSON.stringify(v);
  let out = '{';
  let first = true;
  for (let k = 0; k < node.keys.length; k++) {
    const [key, keyJson, child] = node.keys[k];
    if (!hasOwn.call(v, key)) continue;
    const item = write(v[key], child);
    if (item === undefined) continue;
    out += (first ? '' : ',') + keyJson + ':' + item;
    first = false;
  }
  return `${out}}`;
}

/** The JSON text of the part of `context` the tree reads. */
export function pickJson(context, tree) {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) return '{}';
  return write(context, tree) ?? '{}';
}

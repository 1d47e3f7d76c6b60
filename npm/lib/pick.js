// The part of a context a template can read: for each path the Rust core lists
// (LiquidService.reads, flowpen-liquid's `Reads`), the value at its end whole and the objects
// along it holding only those keys. Rendering against it gives what the whole context gives
// (flowpen-liquid's tests/reads.rs checks that rule with its Rust copy of this walk), and it
// crosses into the module in proportion to what the template reads.

const hasOwn = Object.prototype.hasOwnProperty;

export function pick(context, paths) {
  const out = Object.create(null);
  if (context === null || typeof context !== 'object') return out;
  for (let p = 0; p < paths.length; p++) {
    const path = paths[p];
    const last = path.length - 1;
    let src = context;
    let dst = out;
    for (let i = 0; i <= last; i++) {
      const key = path[i];
      if (Array.isArray(src) || !hasOwn.call(src, key)) break;
      const v = src[key];
      if (i === last || v === null || typeof v !== 'object' || Array.isArray(v)) {
        if (v !== undefined) dst[key] = v;
        break;
      }
      let d = dst[key];
      if (d === undefined) {
        d = Object.create(null);
        dst[key] = d;
      }
      src = v;
      dst = d;
    }
  }
  return out;
}

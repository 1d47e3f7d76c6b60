// Real requests (runTests/run with allowNetwork, `flowpen test --allow-network`) with fetch under
// Studio's rules: the request's time limit over the whole exchange, redirects followed, at most
// `maxBytes` of the body read (one more than the engine accepts: it fails a larger body itself).
// The core maps the response (flowpen-playground's simulator::http) and words a timeout.

async function readLimited(response, maxBytes) {
  if (!response.body) return new Uint8Array(await response.arrayBuffer()).subarray(0, maxBytes);
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size >= maxBytes) await reader.cancel().catch(() => {});
  const out = new Uint8Array(Math.min(size, maxBytes));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
    if (at >= out.length) break;
  }
  return out;
}

const describe = (e) => {
  const cause = e && e.cause;
  if (cause && cause.message) return cause.code ? `${cause.code}: ${cause.message}` : cause.message;
  return e && e.message ? e.message : String(e);
};

export async function perform(request, handle) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const init = { method: request.method, headers: request.headers, redirect: 'follow', signal: controller.signal };
    if (request.body !== null && request.body !== undefined) init.body = request.body;
    const response = await fetch(request.url, init);
    const body = await readLimited(response, request.maxBytes);
    handle.networkResponse(response.status, [...response.headers], body);
  } catch (e) {
    handle.networkError(controller.signal.aborted, describe(e));
  } finally {
    clearTimeout(timer);
  }
}

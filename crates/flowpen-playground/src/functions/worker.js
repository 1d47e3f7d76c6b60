// Flowpen's Twilio Functions runtime: the bootstrap of the Web Worker that runs one invocation.
//
// The sandbox frame (frame.js) starts a fresh worker from this file for every call. The frame lives
// in an opaque origin (an iframe with sandbox="allow-scripts"), so this worker has no access to the
// app's storage, cookies or DOM. It receives exactly one message: the invocation as JSON text, built
// by the Rust host (functions/protocol.rs). It provides Twilio's contract (context, event, callback,
// the Twilio, Runtime, Functions and Response globals, require('axios') and require('twilio')),
// runs `exports.handler`, and answers with JSON text messages:
//   {type: "log", level, text}   for each console call while the Function runs;
//   {type: "outcome", outcome}   once, when callback is called or the Function fails.
// The outcome describes what the Function produced; the Rust side (functions/response.rs) turns it
// into the HTTP response the way twilio-run does. The frame terminates the worker after the outcome
// (Twilio ends execution at the first callback) or when the time limit passes.
// It runs under Node too (flowpen test): see flowpen-playground's functions.rs.
'use strict';

(() => {
  const RUNTIME_URL = String(self.location.href);
  const postText = self.postMessage.bind(self);
  const NativeResponse = self.Response;
  const MAX_LOG_LINES = 1000;
  const MAX_LOG_CHARS = 10000;

  let finished = false;
  let logLines = 0;

  const send = (message) => postText(JSON.stringify(message));

  // Sends the single outcome; everything the Function does afterwards is ignored.
  function finish(outcome) {
    if (finished) return;
    finished = true;
    send({ type: 'outcome', outcome });
  }

  // --- Errors -------------------------------------------------------------------------------------

  // Drops the stack frames of this runtime, like twilio-run's cleanUpStackTrace drops its own.
  function cleanStack(stack) {
    return String(stack)
      .split('\n')
      .filter((line) => !line.includes(RUNTIME_URL))
      .join('\n');
  }

  // An error for a feature the browser playground cannot offer.
  function unavailable(what, why) {
    return new Error(`${what} is not available in the Flowpen playground: ${why}`);
  }

  const NO_CREDENTIALS =
    'the playground has no Twilio credentials, so it cannot create a Twilio REST client ' +
    '(deploy the Function to Twilio to call Twilio APIs)';

  // --- console capture ----------------------------------------------------------------------------

  // A small version of Node's util.inspect: enough to make console.log output readable.
  function inspect(value, depth, seen) {
    if (typeof value === 'string') return depth === 0 ? value : `'${value}'`;
    if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol') return value.toString();
    if (value === null || typeof value !== 'object') return String(value);
    if (value instanceof Error) return value.stack ? cleanStack(value.stack) : String(value);
    if (seen.includes(value)) return '[Circular]';
    if (depth > 2) return Array.isArray(value) ? '[Array]' : '[Object]';
    const inner = seen.concat([value]);
    if (Array.isArray(value)) {
      const items = value.map((item) => inspect(item, depth + 1, inner));
      return items.length === 0 ? '[]' : `[ ${items.join(', ')} ]`;
    }
    const entries = Object.keys(value).map((key) => {
      const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`;
      return `${name}: ${inspect(value[key], depth + 1, inner)}`;
    });
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }

  // Node's console formatting: printf-like directives in a leading string, then the other values.
  function format(args) {
    if (typeof args[0] !== 'string' || !args[0].includes('%') || args.length === 1) {
      return args.map((value) => inspect(value, 0, [])).join(' ');
    }
    let next = 1;
    const head = args[0].replace(/%[sdifjoO%]/g, (directive) => {
      if (directive === '%%') return '%';
      if (next >= args.length) return directive;
      const value = args[next++];
      switch (directive) {
        case '%s': return typeof value === 'string' ? value : inspect(value, 1, []);
        case '%d': return String(Number(value));
        case '%i': return String(parseInt(value, 10));
        case '%f': return String(parseFloat(value));
        case '%j': try { return JSON.stringify(value); } catch (e) { return '[Circular]'; }
        default: return inspect(value, 1, []);
      }
    });
    return [head].concat(args.slice(next).map((value) => inspect(value, 0, []))).join(' ');
  }

  function log(level, args) {
    if (finished) return;
    logLines += 1;
    if (logLines > MAX_LOG_LINES) {
      if (logLines === MAX_LOG_LINES + 1) {
        send({ type: 'log', level: 'warn', text: `log output stopped after ${MAX_LOG_LINES} lines` });
      }
      return;
    }
    let text;
    try {
      text = format(args);
    } catch (e) {
      text = '[a value that cannot be printed]';
    }
    if (text.length > MAX_LOG_CHARS) text = `${text.slice(0, MAX_LOG_CHARS)} …[truncated]`;
    send({ type: 'log', level, text });
  }

  const LEVELS = { log: 'log', info: 'info', warn: 'warn', error: 'error', debug: 'log', trace: 'log' };
  for (const method of Object.keys(LEVELS)) {
    const original = typeof console[method] === 'function' ? console[method].bind(console) : null;
    console[method] = (...args) => {
      log(LEVELS[method], args);
      if (original) original(...args);
    };
  }

  // --- TwiML --------------------------------------------------------------------------------------

  // The child verbs and nouns each TwiML element offers, as in twilio-node (the common ones).
  const VOICE_VERBS = ['connect', 'dial', 'echo', 'enqueue', 'gather', 'hangup', 'leave', 'pause',
    'pay', 'play', 'prompt', 'queue', 'record', 'redirect', 'refer', 'reject', 'say', 'sms', 'start',
    'stop'];
  const CHILDREN = {
    Message: ['body', 'media'],
    Dial: ['application', 'client', 'conference', 'number', 'queue', 'sim', 'sip', 'whatsapp'],
    Gather: ['say', 'play', 'pause'],
    Prompt: ['say', 'play', 'pause'],
    Connect: ['conversation', 'room', 'stream', 'virtualAgent'],
    Start: ['stream', 'siprec', 'transcription'],
    Stop: ['stream', 'siprec', 'transcription'],
    Client: ['identity', 'parameter'],
    Stream: ['parameter'],
    Siprec: ['parameter'],
    Transcription: ['parameter'],
    Enqueue: ['task'],
    Refer: ['sip'],
    Pay: ['prompt', 'parameter'],
  };
  const TAGS = { whatsapp: 'WhatsApp' };
  const tagOf = (method) => TAGS[method] || method.charAt(0).toUpperCase() + method.slice(1);

  // xmlbuilder's escaping (what twilio-node uses): an "&" that already starts an entity is kept.
  const escapeText = (text) => text.replace(/(?!&\S+;)&/g, '&amp;').replace(/</g, '&lt;')
    .replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
  const escapeAttribute = (text) => text.replace(/(?!&\S+;)&/g, '&amp;').replace(/</g, '&lt;')
    .replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');

  class TwimlNode {
    constructor(tag, attributes, text, verbs) {
      this.name = tag;
      this.attributes = attributes && typeof attributes === 'object' ? attributes : {};
      this.children = text === undefined || text === null ? [] : [String(text)];
      // Verb methods such as say(attributes, text) or message(body); each returns the new child.
      for (const verb of verbs || CHILDREN[tag] || []) {
        Object.defineProperty(this, verb, {
          value: (attrs, body) => this.addChild(tagOf(verb), attrs, body),
        });
      }
    }

    // twilio-node's generic escape hatch: addChild(tag, attributes) (a text is accepted too).
    addChild(tag, attributes, text) {
      if (typeof attributes === 'string') return this.addChild(tag, {}, attributes);
      const child = new TwimlNode(tag, attributes, text);
      this.children.push(child);
      return child;
    }

    addText(text) {
      this.children.push(String(text));
      return this;
    }

    toXml() {
      const attributes = Object.keys(this.attributes)
        .filter((key) => this.attributes[key] !== undefined && this.attributes[key] !== null)
        .map((key) => ` ${key}="${escapeAttribute(String(this.attributes[key]))}"`)
        .join('');
      if (this.children.length === 0) return `<${this.name}${attributes}/>`;
      const inner = this.children
        .map((child) => (typeof child === 'string' ? escapeText(child) : child.toXml()))
        .join('');
      return `<${this.name}${attributes}>${inner}</${this.name}>`;
    }

    toString() {
      return this.toXml();
    }
  }

  // The root of a TwiML document; callback(null, twiml) sends toString() as text/xml.
  class TwimlResponse extends TwimlNode {
    toString() {
      return `<?xml version="1.0" encoding="UTF-8"?>${this.toXml()}`;
    }
  }
  class VoiceResponse extends TwimlResponse {
    constructor() { super('Response', {}, undefined, VOICE_VERBS); }
  }
  class MessagingResponse extends TwimlResponse {
    constructor() { super('Response', {}, undefined, ['message', 'redirect']); }
  }
  class FaxResponse extends TwimlResponse {
    constructor() { super('Response', {}, undefined, ['receive']); }
  }

  // --- Twilio.Response (twilio-run's dev-runtime/internal/response.ts) ----------------------------

  const SET_COOKIE = 'Set-Cookie';

  class TwilioResponse {
    constructor(options) {
      this.body = null;
      this.statusCode = 200;
      this.headers = {};
      if (options && options.statusCode) this.statusCode = options.statusCode;
      if (options && options.body) this.body = options.body;
      if (options && options.headers) this.headers = options.headers;
      // Set-Cookie is always a list.
      const cookies = this.headers[SET_COOKIE];
      if (!(SET_COOKIE in this.headers)) this.headers[SET_COOKIE] = [];
      if (!Array.isArray(cookies) && cookies !== undefined) this.headers[SET_COOKIE] = [cookies];
    }

    setStatusCode(statusCode) {
      this.statusCode = statusCode;
      return this;
    }

    setBody(body) {
      this.body = body;
      return this;
    }

    // Replaces every header (each one goes through appendHeader, so Set-Cookie becomes a list).
    setHeaders(headers) {
      if (typeof headers !== 'object') return this;
      this.headers = {};
      for (const name in headers) this.appendHeader(name, headers[name]);
      return this;
    }

    appendHeader(name, value) {
      this.headers = this.headers || {};
      if (typeof value === 'object' && !Array.isArray(value)) {
        throw new Error('Header value cannot be an object');
      }
      const key = name.toLowerCase() === SET_COOKIE.toLowerCase() ? SET_COOKIE : name;
      const existing = this.headers[key];
      if (existing) {
        this.headers[key] = [existing, value].flat();
      } else if (key === SET_COOKIE) {
        this.headers[key] = Array.isArray(value) ? value : [value];
      } else {
        this.headers[key] = value;
      }
      if (!(SET_COOKIE in this.headers)) this.headers[SET_COOKIE] = [];
      return this;
    }

    setCookie(name, value, attributes = []) {
      const cookie = `${name}=${value}` + (attributes.length > 0 ? `;${attributes.join(';')}` : '');
      return this.appendHeader(SET_COOKIE, cookie);
    }

    removeCookie(name) {
      let cookies = this.headers[SET_COOKIE];
      if (!Array.isArray(cookies)) cookies = [cookies];
      const kept = cookies.filter((cookie) => typeof cookie === 'string' && !cookie.startsWith(`${name}=`));
      kept.push(`${name}=;Max-Age=0`);
      this.headers[SET_COOKIE] = kept;
      return this;
    }
  }

  // --- Encoding what the Function produced --------------------------------------------------------
  // twilio-run runs the Function in a child process and sends the reply to Express through
  // process.send (a JSON round trip); these encoders describe the values that Express then sees.

  function jsonOf(value) {
    try {
      const text = JSON.stringify(value);
      return text === undefined ? { type: 'undefined' } : { type: 'json', text };
    } catch (e) {
      return { type: 'unserializable', message: String(e && e.message) };
    }
  }

  // A plain value, as Express's res.send receives it.
  function encodePlain(value) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      return { type: 'undefined' };
    }
    if (value === null) return { type: 'null' };
    if (typeof value === 'string') return { type: 'string', value };
    if (typeof value === 'number') return { type: 'number', json: JSON.stringify(value) };
    if (typeof value === 'boolean') return { type: 'boolean', value };
    return jsonOf(value);
  }

  // The second argument of callback(null, payload), classified as functionRunner's handleSuccess does.
  function encodePayload(value) {
    if (typeof value === 'string') return { type: 'string', value };
    if (value instanceof TwimlResponse) return { type: 'twiml', xml: value.toString() };
    if (value instanceof TwilioResponse) return encodeResponse(value);
    return encodePlain(value);
  }

  // callback(err) or a thrown value: an Error keeps its name, message and stack.
  function encodeFailure(value) {
    if (value instanceof Error) {
      return {
        type: 'error',
        name: String(value.name),
        message: String(value.message),
        stack: typeof value.stack === 'string' ? cleanStack(value.stack) : null,
      };
    }
    return encodePlain(value);
  }

  // Twilio.Response's serialize(): a JSON Content-Type (exact key) turns the body into JSON text.
  function encodeResponse(response) {
    const headers = response.headers && typeof response.headers === 'object' ? response.headers : {};
    const contentType = headers['Content-Type'];
    let body = response.body;
    if (typeof contentType === 'string' && contentType.startsWith('application/json')) {
      body = JSON.stringify(body);
    }
    const status = response.statusCode;
    const pairs = [];
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      pairs.push([name, Array.isArray(value) ? value.map((item) => String(item)) : String(value)]);
    }
    return {
      type: 'response',
      status: typeof status === 'number' || typeof status === 'string' ? status : null,
      headers: pairs,
      body: encodePlain(body),
    };
  }

  // callback(error, payload): the first call wins; later calls are ignored.
  function callback(error, payload) {
    if (finished) return;
    let outcome;
    try {
      outcome = error
        ? { kind: 'callback', error: encodeFailure(error) }
        : { kind: 'callback', payload: encodePayload(payload) };
    } catch (e) {
      outcome = { kind: 'threw', during: 'callback', error: encodeFailure(e) };
    }
    finish(outcome);
  }

  // Errors nobody caught: an exception in a timer or an unhandled promise rejection ends the call.
  self.addEventListener('error', (event) => {
    event.preventDefault();
    const error = event.error !== undefined && event.error !== null ? event.error : new Error(event.message);
    finish({ kind: 'threw', during: 'uncaught', error: encodeFailure(error) });
  });
  self.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    finish({ kind: 'threw', during: 'uncaught', error: encodeFailure(event.reason) });
  });

  // --- axios (a small fetch-based version) --------------------------------------------------------

  class AxiosError extends Error {
    constructor(message, code, config, response, cause) {
      super(message);
      this.name = 'AxiosError';
      this.code = code;
      this.config = config;
      this.isAxiosError = true;
      if (response) {
        this.response = response;
        this.status = response.status;
      }
      if (cause) this.cause = cause;
    }

    toJSON() {
      return { message: this.message, name: this.name, code: this.code, status: this.status };
    }
  }

  function hasHeader(headers, name) {
    return Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase());
  }

  function buildUrl(config) {
    let url = String(config.url || '');
    if (config.baseURL && !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      url = `${String(config.baseURL).replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
    }
    if (config.params && typeof config.params === 'object') {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(config.params)) {
        if (value !== undefined && value !== null) query.append(key, String(value));
      }
      const text = query.toString();
      if (text) url += (url.includes('?') ? '&' : '?') + text;
    }
    return url;
  }

  function createAxios(defaults) {
    async function request(options) {
      const config = Object.assign({ method: 'get' }, defaults, options);
      config.headers = Object.assign({}, defaults.headers, options && options.headers);
      const method = String(config.method).toUpperCase();
      const headers = Object.assign({ Accept: 'application/json, text/plain, */*' }, config.headers);
      let body = config.data;
      if (typeof body === 'string') {
        if (!hasHeader(headers, 'Content-Type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      } else if (body !== undefined && body !== null && typeof body === 'object' &&
        !(body instanceof URLSearchParams) && !(body instanceof Blob) && !(body instanceof FormData) &&
        !(body instanceof ArrayBuffer) && !ArrayBuffer.isView(body)) {
        body = JSON.stringify(body);
        if (!hasHeader(headers, 'Content-Type')) headers['Content-Type'] = 'application/json';
      }
      let fetched;
      try {
        fetched = await self.fetch(buildUrl(config), {
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : body,
        });
      } catch (e) {
        throw new AxiosError('Network Error', 'ERR_NETWORK', config, undefined, e);
      }
      const text = await fetched.text();
      let data = text;
      if (config.responseType !== 'text' && text !== '') {
        try { data = JSON.parse(text); } catch (e) { data = text; }
      }
      const responseHeaders = {};
      fetched.headers.forEach((value, name) => { responseHeaders[name] = value; });
      const response = {
        data,
        status: fetched.status,
        statusText: fetched.statusText,
        headers: responseHeaders,
        config,
        request: {},
      };
      const validate = config.validateStatus === undefined
        ? (status) => status >= 200 && status < 300
        : config.validateStatus;
      if (!validate || validate(response.status)) return response;
      const code = response.status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST';
      throw new AxiosError(`Request failed with status code ${response.status}`, code, config, response);
    }

    const axios = (urlOrConfig, config) => (typeof urlOrConfig === 'string'
      ? request(Object.assign({}, config, { url: urlOrConfig }))
      : request(urlOrConfig || {}));
    axios.request = request;
    for (const method of ['get', 'delete', 'head', 'options']) {
      axios[method] = (url, config) => request(Object.assign({}, config, { method, url }));
    }
    for (const method of ['post', 'put', 'patch']) {
      axios[method] = (url, data, config) => request(Object.assign({}, config, { method, url, data }));
    }
    axios.create = (more) => createAxios(Object.assign({}, defaults, more));
    axios.defaults = defaults;
    axios.isAxiosError = (value) => Boolean(value && value.isAxiosError);
    axios.AxiosError = AxiosError;
    axios.default = axios;
    return axios;
  }

  const axios = createAxios({ headers: {} });

  // --- The invocation -----------------------------------------------------------------------------

  // Tests may replace fetch by canned responses (the invocation's test-only fake_fetch list).
  function installFakeFetch(responses) {
    if (!Array.isArray(responses)) return;
    self.fetch = async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      const canned = responses.find((response) => response.url === url);
      if (!canned) throw new TypeError(`Failed to fetch: the fake fetch has no response for ${url}`);
      const empty = [101, 103, 204, 205, 304].includes(canned.status);
      return new NativeResponse(empty ? null : canned.body, { status: canned.status, headers: canned.headers });
    };
  }

  // context: twilio-run's constructContext plus the SERVICE_SID/ENVIRONMENT_SID warning getters.
  function makeContext(values) {
    const context = Object.assign(
      { PATH: undefined, DOMAIN_NAME: undefined, SERVICE_SID: undefined, ENVIRONMENT_SID: undefined },
      values,
      {
        getTwilioClient() {
          throw unavailable('context.getTwilioClient()', NO_CREDENTIALS);
        },
      },
    );
    for (const name of ['SERVICE_SID', 'ENVIRONMENT_SID']) {
      if (context[name] !== undefined) continue;
      let value;
      Object.defineProperty(context, name, {
        get() {
          if (value === undefined) {
            console.warn(`context.${name} is undefined in the Flowpen playground; Twilio sets it when the Function is deployed`);
          }
          return value;
        },
        set(next) { value = next; },
      });
    }
    return context;
  }

  function start(text) {
    let invocation;
    try {
      invocation = JSON.parse(text);
    } catch (e) {
      finish({ kind: 'threw', during: 'load', error: encodeFailure(new Error('the invocation is not JSON')) });
      return;
    }
    installFakeFetch(invocation.fake_fetch);

    // The Functions of the project, by file name: Runtime.getFunctions() and require() use them.
    const sources = new Map();
    const functions = {};
    for (const fn of Array.isArray(invocation.functions) ? invocation.functions : []) {
      sources.set(fn.file, fn.code);
      functions[fn.name] = { path: fn.file };
    }

    const cache = new Map();
    const twilio = Object.assign(
      () => { throw unavailable('twilio(accountSid, authToken)', NO_CREDENTIALS); },
      { twiml: { VoiceResponse, MessagingResponse, FaxResponse }, Response: TwilioResponse },
    );
    function require(name) {
      if (name === 'axios') return axios;
      if (name === 'twilio') return twilio;
      const file = sources.has(name) ? name : `${name}.js`;
      if (sources.has(file)) return load(file);
      const error = new Error(`module '${name}' is not available in the browser: the Flowpen playground provides 'axios', 'twilio' and the files listed by Runtime.getFunctions()`);
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    // CommonJS loading: the code runs in a function scope, as Node wraps a module.
    function load(file) {
      const cached = cache.get(file);
      if (cached) return cached.exports;
      const module = { exports: {}, id: file, filename: file, loaded: false };
      cache.set(file, module);
      try {
        const wrapper = (0, eval)(
          `(function (exports, require, module, __filename, __dirname) {${sources.get(file)}\n})\n//# sourceURL=${file}`,
        );
        wrapper.call(module.exports, module.exports, require, module, file, 'functions');
      } catch (e) {
        cache.delete(file);
        throw e;
      }
      module.loaded = true;
      return module.exports;
    }

    // Globals, as twilio-run's constructGlobalScope sets them (Response shadows fetch's Response).
    const Twilio = { twiml: twilio.twiml, Response: TwilioResponse };
    Object.defineProperty(Twilio, 'jwt', {
      get() { throw unavailable('Twilio.jwt', 'access tokens need an API key secret the playground does not have'); },
    });
    const Runtime = {
      getFunctions: () => Object.assign({}, functions),
      getAssets: () => ({}),
      getSync() { throw unavailable('Runtime.getSync()', NO_CREDENTIALS); },
    };
    Object.assign(self, { Twilio, Runtime, Functions: Runtime.getFunctions(), Response: TwilioResponse });

    const context = makeContext(invocation.context);
    const event = invocation.event && typeof invocation.event === 'object' ? invocation.event : {};
    let handler;
    try {
      const exported = load(invocation.file);
      handler = exported && exported.handler;
    } catch (e) {
      finish({ kind: 'threw', during: 'load', error: encodeFailure(e) });
      return;
    }
    if (typeof handler !== 'function') {
      const error = new Error(`Could not find a "handler" function in file ${invocation.file}`);
      finish({ kind: 'threw', during: 'load', error: encodeFailure(error) });
      return;
    }
    try {
      const result = handler(context, event, callback);
      if (result && typeof result.then === 'function') {
        result.then(undefined, (e) => finish({ kind: 'threw', during: 'handler', error: encodeFailure(e) }));
      }
    } catch (e) {
      finish({ kind: 'threw', during: 'handler', error: encodeFailure(e) });
    }
  }

  let started = false;
  self.onmessage = (event) => {
    if (started || typeof event.data !== 'string') return;
    started = true;
    start(event.data);
  };
})();

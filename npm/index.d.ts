// Types of the flowpen package (Node: index.js; browsers and bundlers: browser.js).

/** A diagnostic, as `flowpen check --json` lists it (without `file`). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** A stable code (`missing-next`, `liquid-syntax`, … ; `parse-error` when the text is not a flow). */
  code: string;
  widget: string | null;
  field: string | null;
  /** In the field's template (or, for `parse-error`, in the flow's text). */
  line: number | null;
  column: number | null;
  message: string;
  /** `parse-error` only: the JSON path (`$.states[3].name`). */
  path?: string;
}

/** A Studio flow (or a project file): its JSON text or the parsed object. */
export type FlowInput = string | Record<string, unknown>;

/** The diagnostics of a flow: the same codes and positions as `flowpen check`. */
export function validate(flow: FlowInput): Diagnostic[];

/** The flow as Studio exports it (2-space indent). Throws when it is not a flow. */
export function format(flow: FlowInput): string;

export interface LiquidOptions {
  /** Studio's dialect (default `true`); `false` is Shopify's Liquid without Studio's caps. */
  studio?: boolean;
  /** Partial templates for `include` and `render`, by name. */
  partials?: Record<string, string>;
}

export interface RenderOptions {
  /** The clock of `now` and `today`: a Date or Unix milliseconds (default: the current time). */
  now?: Date | number;
}

/** A template error with its position in the template. */
export class LiquidError extends Error {
  kind: 'syntax' | 'render' | 'output-too-large' | 'too-much-work';
  line: number;
  column: number;
  /** The message without its kind and position. */
  reason: string;
}

export class Liquid {
  constructor(options?: LiquidOptions);
  /** Renders against a plain object. Throws a LiquidError. */
  render(template: string, context?: Record<string, unknown>, options?: RenderOptions): string;
  /** `null` when the template parses, else its syntax error. */
  check(template: string): LiquidError | null;
  /** The context paths a render reads (`null` in a path: any element of an array), or `true` for all. */
  reads(template: string): Array<Array<string | null>> | true;
}

/** A test-file step that is an input (see the README's "Flow tests"). */
export type InputStep =
  | 'timeout'
  | 'hangup'
  | { contact: string; media?: string[] }
  | { wait: string | number }
  | { press: string }
  | { speech: string; confidence?: number }
  | { record: string; duration?: number; end?: string }
  | { event: string; variables?: Record<string, string> };

/** A stub response (a list: one per call, the last repeats). */
export interface StubResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  json?: unknown;
  delay_ms?: number;
  error?: string;
}
export type Stubs = Record<string, StubResponse | StubResponse[]>;

/** The project's Functions: path → code (`exports.handler = …`). */
export type Functions = Record<string, string> | Array<{ path: string; code: string }>;

export interface RunOptions {
  /** How the execution starts (default: `message`, whose first input is the contact's message). */
  start?: 'message' | 'call' | 'rest' | 'conversation' | 'subflow';
  from?: string;
  to?: string;
  /** When the execution starts (default: Monday 2026-01-05 17:00 UTC). */
  time?: Date | string;
  /** `flow.data` (rest), `trigger.parent.parameters` (subflow), webhook parameters (call). */
  parameters?: Record<string, unknown>;
  /** The inputs, in order. */
  conversation?: InputStep[];
  stubs?: Stubs;
  functions?: Functions;
  env?: Record<string, string>;
  /** The flows Run Subflow widgets run, by flow SID or widget name. */
  subflows?: Record<string, FlowInput>;
  /** Unstubbed URLs are real requests (Studio's rules: 10 s, 64 kB). */
  allowNetwork?: boolean;
}

export interface Message {
  type: 'message' | 'say' | 'play' | 'digits';
  widget: string;
  text?: string;
  media?: string | null;
  url?: string;
  digits?: string;
  voice?: string | null;
  language?: string | null;
  loops?: number;
}

export interface RunResult {
  /** `ended`, or `waiting` for an input (see `waiting`). */
  status: 'ended' | 'waiting' | 'running';
  /** Why it ended (`{kind, …}`), or null. */
  end: Record<string, unknown> | null;
  waiting: { widget: string; subflow: { widget: string } | null } | null;
  /** The main flow's widgets in order. */
  path: string[];
  /** The execution log (each step's widget, event, next widget, rendered inputs, Flow Data changes). */
  steps: Array<Record<string, unknown>>;
  /** The main flow's Flow Data at the end. */
  flowData: Record<string, unknown>;
  /** What the flow sent, in order. */
  messages: Message[];
  requests: Array<{ widget: string; method: string; url: string; by: 'stub' | 'function' | 'network'; outcome: string }>;
  /** The Functions' console output. */
  logs: Array<{ level: string; text: string }>;
  transcript: string[];
  /** Why the run could not go on (an input the execution did not take, a request nobody answered), or null. */
  error: string | null;
}

/** Runs a flow with a list of inputs. */
export function run(flow: FlowInput, options?: RunOptions): Promise<RunResult>;

export interface RunTestsOptions {
  /** The test file's path: the base of `flow:` and the files it names, and its name in the results. */
  path?: string;
  /** Reads a file the test file names (default in Node: the file system; in browsers: none). */
  readFile?: (path: string) => string | Uint8Array | Promise<string | Uint8Array>;
  /** The flow (or project file) to run instead of reading `flow:`. */
  flow?: FlowInput;
  /** Functions (and their environment) added to the project's. */
  functions?: Functions;
  env?: Record<string, string>;
  allowNetwork?: boolean;
  /** Runs the cases whose name contains this text (any case). */
  filter?: string;
  /** Adds coverage (widgets and transitions the cases went through). */
  coverage?: boolean;
  /** Cases at once (default: one per core). */
  jobs?: number;
  /** The folder of `shared:` paths. */
  shared?: string;
}

export interface CaseResult {
  name: string;
  index: number;
  line: number;
  passed: boolean;
  failure: {
    message: string;
    step: number | null;
    line: number;
    column: number;
    log_step: number | null;
    widget: string | null;
    expected: string | null;
    actual: string | null;
  } | null;
  status: string;
  end: Record<string, unknown> | null;
  path: string[];
  transcript: string[];
  seconds: number;
}

/** What `flowpen test --json` prints. */
export interface TestReport {
  files: Array<{ file: string; flow?: string; error?: string; cases: CaseResult[] }>;
  passed: number;
  failed: number;
  coverage?: Array<Record<string, unknown>>;
}

/** Runs a test file's cases: the same results as `flowpen test --json`. */
export function runTests(testFileText: string, options?: RunTestsOptions): Promise<TestReport>;

/** The package's version. */
export const version: string;

//! Flow tests for JavaScript: a test file's [`Loader`] (the JavaScript side reads the files it
//! asks for, synchronously or not), a [`Session`] of files and their cases (`npx flowpen test`,
//! `runTests`), and a [`CaseHandle`]: one case's sans-IO run, whose shell requests the JavaScript
//! side answers (a project Function in a worker, the network with `fetch`).

use std::collections::BTreeMap;

use flowpen_command::test::{self as command, FileEntry, Options, Ran};
use flowpen_engine::{HttpRequest, TransportError, TransportErrorKind};
use flowpen_playground::flowtest::{
    CaseResult, CaseRun, Progress, RunOptions, Runner, ShellAnswer, ShellRequest, Target,
};
use flowpen_playground::functions::protocol::{conclude, invoke_message, Intake};
use flowpen_playground::functions::request::{route, Routed};
use flowpen_playground::project::{FunctionDef, FunctionsProject};
use flowpen_playground::simulator::http::{map_response, read_limit, RawResponse};
use serde_json::{json, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{error, from_js, to_js};
use crate::host::read_result;

/// Loads one test file (see `flowpen_command::test::Loader`).
#[wasm_bindgen]
pub struct Loader {
    inner: Option<command::Loader>,
}

#[wasm_bindgen]
impl Loader {
    /// The test file at `path` (as reports show it); `shared` is the shared fixtures folder.
    #[wasm_bindgen(constructor)]
    pub fn new(path: &str, shared: Option<String>) -> Loader {
        Loader {
            inner: Some(command::Loader::new(path, shared)),
        }
    }

    /// The file to read now: `{path, limit, flow}` (`flow`: it is the flow file, whose canonical
    /// path [`Loader::set_flow_key`] may give), or `null` when done.
    pub fn next(&self) -> JsValue {
        let Some(l) = &self.inner else {
            return JsValue::NULL;
        };
        match l.next() {
            Some((path, limit)) => to_js(&json!({
                "path": path,
                "limit": limit,
                "flow": l.wants_flow(),
            })),
            None => JsValue::NULL,
        }
    }

    /// The canonical path of the flow file (coverage adds results up per flow file).
    #[wasm_bindgen(js_name = setFlowKey)]
    pub fn set_flow_key(&mut self, key: String) {
        if let Some(l) = &mut self.inner {
            l.set_flow_key(key);
        }
    }

    /// The file asked for: a `Uint8Array` or a string, `{tooLarge: bytes}` or `{error: text}`.
    pub fn give(&mut self, read: JsValue) {
        if let Some(l) = &mut self.inner {
            l.give(read_result(&read));
        }
    }
}

/// Reads an options object (`flowpen test`'s, or `runTests`'s).
fn options(v: &Value) -> Options {
    Options {
        paths: Vec::new(),
        json: v["json"].as_bool().unwrap_or(false),
        junit: v["junit"].as_str().map(str::to_owned),
        coverage: v["coverage"].as_bool().unwrap_or(false),
        allow_network: v["allowNetwork"].as_bool().unwrap_or(false),
        filter: v["filter"].as_str().map(str::to_owned),
        jobs: None,
    }
}

/// Functions and environment variables (name, value).
pub type FunctionsAndEnv = (Vec<FunctionDef>, Vec<(String, String)>);

/// Functions (`{"/path": code}`) and environment variables (`{NAME: value}`) from JavaScript.
pub fn functions_and_env(functions: &Value, env: &Value) -> Result<FunctionsAndEnv, String> {
    let mut defs = Vec::new();
    match functions {
        Value::Null => {}
        Value::Object(o) => {
            for (path, code) in o {
                let Value::String(code) = code else {
                    return Err(format!("the Function {path} is not a string of code"));
                };
                defs.push(FunctionDef {
                    path: path.clone(),
                    code: code.clone(),
                });
            }
        }
        _ => return Err("`functions` is an object of path → code".into()),
    }
    let mut vars = Vec::new();
    match env {
        Value::Null => {}
        Value::Object(o) => {
            for (k, v) in o {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                vars.push((k.clone(), text));
            }
        }
        _ => return Err("`env` is an object of name → value".into()),
    }
    Ok((defs, vars))
}

/// Test files and their cases' results.
#[wasm_bindgen]
pub struct Session {
    options: Options,
    files: Vec<FileEntry>,
    jobs: Vec<(usize, usize)>,
    runners: BTreeMap<usize, (Target, Runner)>,
    results: Vec<Option<Ran>>,
}

#[wasm_bindgen]
impl Session {
    /// `options`: `{json, junit, coverage, allowNetwork, filter}` (`testOptions`'s result, or
    /// `runTests`'s options).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Session, JsValue> {
        let v = from_js(options).map_err(|e| error(&e))?;
        Ok(Session {
            options: self::options(&v),
            files: Vec::new(),
            jobs: Vec::new(),
            runners: BTreeMap::new(),
            results: Vec::new(),
        })
    }

    /// Adds a loaded test file (or its error); returns the notes to print on standard error.
    #[wasm_bindgen(js_name = addLoaded)]
    pub fn add_loaded(&mut self, loader: &mut Loader) -> Vec<String> {
        let Some(l) = loader.inner.take() else {
            return Vec::new();
        };
        let path = l.next().map(|(p, _)| p.to_owned());
        match l.finish() {
            Ok(loaded) => {
                let notes = loaded.notes.clone();
                self.files.push(Ok(loaded));
                notes
            }
            Err(e) => {
                let path = path.unwrap_or_default();
                self.files.push(Err((path, e)));
                Vec::new()
            }
        }
    }

    /// Adds a path that is not a test file (`collectTestFiles`' errors).
    #[wasm_bindgen(js_name = addError)]
    pub fn add_error(&mut self, path: String, message: String) {
        self.files.push(Err((path, message)));
    }

    /// Adds Functions (`{"/path": code}`) and environment variables to every loaded file.
    #[wasm_bindgen(js_name = addFunctions)]
    pub fn add_functions(&mut self, functions: JsValue, env: JsValue) -> Result<(), JsValue> {
        let (defs, vars) = functions_and_env(
            &from_js(functions).map_err(|e| error(&e))?,
            &from_js(env).map_err(|e| error(&e))?,
        )
        .map_err(|e| error(&e))?;
        for loaded in self.files.iter_mut().flatten() {
            loaded.add_functions(defs.clone(), vars.clone());
        }
        Ok(())
    }

    /// The first file's error, if it could not be loaded (`runTests` throws it).
    #[wasm_bindgen(js_name = firstError)]
    pub fn first_error(&self) -> Option<String> {
        self.files
            .iter()
            .find_map(|f| f.as_ref().err().map(|e| e.1.clone()))
    }

    /// Lists the cases to run (once every file is added); returns how many.
    pub fn plan(&mut self) -> usize {
        self.jobs = command::jobs(&self.files, self.options.filter.as_deref());
        self.results = (0..self.jobs.len()).map(|_| None).collect();
        self.jobs.len()
    }

    /// Starts case `job` of the plan.
    pub fn start(&mut self, job: usize) -> Result<CaseHandle, JsValue> {
        let Some(&(f, c)) = self.jobs.get(job) else {
            return Err(error("no such case"));
        };
        let Some(Ok(loaded)) = self.files.get(f) else {
            return Err(error("no such file"));
        };
        let options = RunOptions {
            allow_network: self.options.allow_network,
            ..RunOptions::default()
        };
        let (target, runner) = self.runners.entry(f).or_insert_with(|| {
            let target = loaded.target();
            let runner = Runner::new(&target, &loaded.file, options);
            (target, runner)
        });
        let run = runner.start(c, &loaded.file.cases[c]);
        Ok(CaseHandle::new(run, target.functions.clone()))
    }

    /// Case `job` is over: its result (taken from the handle) and how long it took.
    pub fn finish(&mut self, job: usize, handle: &mut CaseHandle, seconds: f64) {
        let (Some(&(f, _)), Some(result)) = (self.jobs.get(job), handle.take_result()) else {
            return;
        };
        if let Some(slot) = self.results.get_mut(job) {
            *slot = Some(Ran {
                file: f,
                result,
                seconds,
            });
        }
    }

    fn ran(&self) -> Vec<Ran> {
        self.results.iter().flatten().cloned().collect()
    }

    /// `{stdout, junit: [path, xml] | null, failed}`: what `flowpen test` prints and writes.
    pub fn report(&self) -> JsValue {
        let r = command::report(&self.files, &self.ran(), &self.options);
        to_js(&json!({
            "stdout": r.stdout,
            "junit": r.junit.map(|(p, x)| json!([p, x])),
            "failed": r.failed,
        }))
    }

    /// The results as `flowpen test --json` prints them (`runTests`'s answer).
    pub fn json(&self) -> JsValue {
        to_js(&command::as_json(
            &self.files,
            &self.ran(),
            self.options.coverage,
        ))
    }
}

/// A project Function call in progress: what the worker has sent so far.
struct Call {
    intake: Intake,
    method: String,
    timeout_ms: u32,
}

/// One case's run (or `run()`'s execution): poll it for what the shell must do, answer, repeat.
#[wasm_bindgen]
pub struct CaseHandle {
    run: Option<CaseRun>,
    functions: FunctionsProject,
    /// The request the JavaScript side is answering.
    request: Option<HttpRequest>,
    call: Option<Call>,
}

impl CaseHandle {
    pub fn new(run: CaseRun, functions: FunctionsProject) -> CaseHandle {
        CaseHandle {
            run: Some(run),
            functions,
            request: None,
            call: None,
        }
    }

    /// The case's result (once; `None` after).
    pub fn take_result(&mut self) -> Option<CaseResult> {
        self.run.take().map(CaseRun::into_result)
    }

    fn answer(&mut self, answer: ShellAnswer) {
        self.request = None;
        self.call = None;
        if let Some(run) = &mut self.run {
            run.answer(answer);
        }
    }
}

#[wasm_bindgen]
impl CaseHandle {
    /// What the shell must do now, or `null` when the case is over:
    /// `{kind: "function", url, invocation, timeoutMs}` (run the invocation message in a worker
    /// with the Node adapter, or as a Web Worker) or `{kind: "network", method, url, headers,
    /// body, timeoutMs, maxBytes}` (perform it: at most `maxBytes` of the body are needed).
    pub fn poll(&mut self) -> JsValue {
        loop {
            let Some(run) = &mut self.run else {
                return JsValue::NULL;
            };
            match run.poll() {
                Progress::Done => return JsValue::NULL,
                Progress::Request(ShellRequest::Function { request, options }) => {
                    match route(&self.functions, &request) {
                        Routed::Respond(response) => {
                            run.answer(ShellAnswer::Response {
                                result: Ok(response),
                                logs: Vec::new(),
                            });
                        }
                        Routed::Run(call) => {
                            let invocation = invoke_message(&self.functions, &call, &options);
                            self.call = Some(Call {
                                intake: Intake::new(),
                                method: call.method.clone(),
                                timeout_ms: options.timeout_ms,
                            });
                            let out = json!({
                                "kind": "function",
                                "url": request.url,
                                "invocation": invocation,
                                "timeoutMs": options.timeout_ms,
                            });
                            self.request = Some(request);
                            return to_js(&out);
                        }
                    }
                }
                Progress::Request(ShellRequest::Network { request }) => {
                    let out = json!({
                        "kind": "network",
                        "method": request.method,
                        "url": request.url,
                        "headers": request.headers,
                        "body": request.body,
                        "timeoutMs": request.timeout_ms,
                        "maxBytes": read_limit(&request),
                    });
                    self.request = Some(request);
                    return to_js(&out);
                }
            }
        }
    }

    /// A message the Function's worker sent (text); returns whether the call is over.
    #[wasm_bindgen(js_name = functionMessage)]
    pub fn function_message(&mut self, text: String) -> bool {
        match &mut self.call {
            Some(c) => c.intake.push(text),
            None => true,
        }
    }

    /// The worker sent a message of `chars` characters, too large to copy: the call is over.
    #[wasm_bindgen(js_name = functionTooLarge)]
    pub fn function_too_large(&mut self, chars: usize) {
        if let Some(c) = &mut self.call {
            c.intake.too_large(chars);
        }
    }

    /// The time limit passed without an outcome (the worker was stopped).
    #[wasm_bindgen(js_name = functionTimeout)]
    pub fn function_timeout(&mut self) {
        if let Some(c) = &mut self.call {
            let t = json!({ "type": "timeout", "timeout_ms": c.timeout_ms });
            c.intake.push(t.to_string());
        }
    }

    /// The worker failed outside the Function's own error handling (or could not start).
    #[wasm_bindgen(js_name = functionCrash)]
    pub fn function_crash(&mut self, message: String) {
        if let Some(c) = &mut self.call {
            let t = json!({ "type": "crash", "message": message });
            c.intake.push(t.to_string());
        }
    }

    /// The Function call is over: its messages become the response (twilio-run's mapping).
    #[wasm_bindgen(js_name = functionDone)]
    pub fn function_done(&mut self) {
        let Some(call) = self.call.take() else {
            return;
        };
        let messages = call.intake.finish();
        let (response, logs) = conclude(&messages, &call.method, call.timeout_ms);
        self.answer(ShellAnswer::Response {
            result: Ok(response),
            logs,
        });
    }

    /// The network's response: status, headers (`[[name, value]]`) and the first bytes of the
    /// body (at most `maxBytes`).
    #[wasm_bindgen(js_name = networkResponse)]
    pub fn network_response(
        &mut self,
        status: u16,
        headers: JsValue,
        body: Vec<u8>,
    ) -> Result<(), JsValue> {
        let headers: Vec<(String, String)> =
            serde_wasm_bindgen::from_value(headers).map_err(|e| error(&e.to_string()))?;
        let response = map_response(RawResponse {
            status,
            headers,
            body,
        });
        self.answer(ShellAnswer::Response {
            result: Ok(response),
            logs: Vec::new(),
        });
        Ok(())
    }

    /// No response: the time limit passed (`timeout`), or the network's error.
    #[wasm_bindgen(js_name = networkError)]
    pub fn network_error(&mut self, timeout: bool, message: String) {
        let error = match (&self.request, timeout) {
            (Some(r), true) => command::network_timeout(r),
            _ => TransportError {
                kind: TransportErrorKind::Network,
                message,
            },
        };
        self.answer(ShellAnswer::Response {
            result: Err(error),
            logs: Vec::new(),
        });
    }

    /// The shell cannot answer at all: the case fails with this message.
    pub fn fail(&mut self, message: String) {
        self.answer(ShellAnswer::Fail(message));
    }

    /// `run()`'s result (see `run::result_json`); once.
    #[wasm_bindgen(js_name = runResult)]
    pub fn run_result(&mut self) -> JsValue {
        match self.take_result() {
            Some(r) => to_js(&crate::run::result_json(&r)),
            None => JsValue::NULL,
        }
    }
}

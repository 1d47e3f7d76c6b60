//! The effectful half of the Functions host: the hidden sandbox iframe and the message exchange.
//!
//! **Invariant:** Function code never runs in the app's origin. It runs only in Web Workers that
//! the sandbox frame starts; the frame is an `<iframe sandbox="allow-scripts" srcdoc=…>` (no
//! `allow-same-origin`), so the frame and its workers have an opaque origin and cannot read the
//! app's storage, cookies or DOM. The app talks to the frame with `postMessage` and one
//! `MessageChannel` per call, and only ever receives JSON text (see [`flowpen_playground::functions::protocol`]).
//!
//! The frame's document is built from two scripts ([`Runtime`]): in the app, the host fetches
//! them from the app's own files on its first call and keeps the document for later calls.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, JsString, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlIFrameElement, MessageChannel, MessageEvent, Response, Window};

use flowpen_engine::HttpRequest;
use flowpen_playground::functions::protocol::{conclude, invoke_message, Intake, CANCEL};
use flowpen_playground::functions::request::{route, Routed};
use flowpen_playground::functions::{response, Invocation, InvokeOptions, LogLine};
use flowpen_playground::project::FunctionsProject;

use super::{frame_srcdoc, FRAME_JS, FRAME_URL, WORKER_JS, WORKER_URL};

/// How long the sandbox frame may take to load (and each of its scripts to be fetched).
const SANDBOX_LOAD_TIMEOUT_MS: u32 = 5_000;

/// How long after the Function's own limit the app stops waiting for the frame's answer.
const ANSWER_GRACE_MS: u32 = 2_000;

/// The value a deadline timer resolves with (a promise that wins a race against it gives another).
const DEADLINE: &str = "flowpen-deadline";

/// Where the sandbox's two scripts (the worker bootstrap and the frame's script) come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Runtime {
    /// The app's own files ([`WORKER_URL`], [`FRAME_URL`]), fetched on the first call, so that the
    /// JavaScript is not carried in the wasm. A failed fetch fails that call (a 500 that says
    /// why); the next call tries again.
    #[default]
    Assets,
    /// The scripts themselves.
    Inline {
        worker: &'static str,
        frame: &'static str,
    },
}

impl Runtime {
    /// The scripts compiled in ([`WORKER_JS`], [`FRAME_JS`]): for the wasm tests, which are served
    /// without the app's files.
    pub fn bundled() -> Runtime {
        Runtime::Inline {
            worker: WORKER_JS,
            frame: FRAME_JS,
        }
    }
}

/// Runs playground Functions in a sandboxed Web Worker, one worker per call.
///
/// The hidden sandbox iframe is created on the first call, appended to the document's `<body>`,
/// reused for later calls, recreated if something removed it, and removed when the last clone of
/// the host is dropped. Clones share the iframe; calls may overlap.
#[derive(Clone, Debug, Default)]
pub struct FunctionsHost {
    inner: Rc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    runtime: Runtime,
    /// The frame's document, once built from the runtime's scripts.
    srcdoc: RefCell<Option<Rc<str>>>,
    sandbox: RefCell<Option<Sandbox>>,
}

#[derive(Clone, Debug)]
struct Sandbox {
    iframe: HtmlIFrameElement,
    /// Resolves when the frame's document (and so its script) has loaded.
    loaded: Promise,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.get_mut().take() {
            sandbox.iframe.remove();
        }
    }
}

impl FunctionsHost {
    /// The app's host: it fetches the sandbox's scripts from the app's files ([`Runtime::Assets`]).
    /// Nothing touches the page or the network until the first call.
    pub fn new() -> Self {
        Self::with_runtime(Runtime::Assets)
    }

    /// A host whose sandbox runs the given scripts.
    pub fn with_runtime(runtime: Runtime) -> Self {
        FunctionsHost {
            inner: Rc::new(Inner {
                runtime,
                srcdoc: RefCell::new(None),
                sandbox: RefCell::new(None),
            }),
        }
    }

    /// The sandbox iframe, once a call has created it (for tests and diagnostics).
    pub fn frame(&self) -> Option<HtmlIFrameElement> {
        self.inner
            .sandbox
            .borrow()
            .as_ref()
            .map(|sandbox| sandbox.iframe.clone())
    }

    /// Answers `request` like twilio-run would, running the project's Function at the request's
    /// path with the given time limit (production's is [`flowpen_playground::functions::DEFAULT_TIMEOUT_MS`]).
    pub async fn invoke(
        &self,
        project: &FunctionsProject,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Invocation {
        self.invoke_with(project, request, &InvokeOptions::with_timeout(timeout_ms))
            .await
    }

    /// [`FunctionsHost::invoke`] with all the options (the test-only fake `fetch`).
    pub async fn invoke_with(
        &self,
        project: &FunctionsProject,
        request: &HttpRequest,
        options: &InvokeOptions,
    ) -> Invocation {
        let call = match route(project, request) {
            Routed::Respond(response) => {
                return Invocation {
                    response,
                    logs: Vec::new(),
                    duration_ms: 0.0,
                };
            }
            Routed::Run(call) => call,
        };
        let message = invoke_message(project, &call, options);
        let started = now_ms();
        let (response, logs) = match self.exchange(&message, options.timeout_ms).await {
            Ok(messages) => conclude(&messages, &call.method, options.timeout_ms),
            Err(problem) => (
                response::host_error(500, &problem),
                vec![LogLine::new("error", problem)],
            ),
        };
        Invocation {
            response,
            logs,
            duration_ms: (now_ms() - started).max(0.0),
        }
    }

    /// Posts the invocation to the sandbox and collects its messages until a terminal one (or
    /// until the app stops waiting, `timeout_ms` plus a grace period later).
    async fn exchange(&self, message: &str, timeout_ms: u32) -> Result<Vec<String>, String> {
        let window = web_sys::window().ok_or("the Functions host needs a browser window")?;
        let srcdoc = self.srcdoc(&window).await?;
        let sandbox = self.sandbox(&window, &srcdoc)?;
        if !settles_within(&window, &sandbox.loaded, SANDBOX_LOAD_TIMEOUT_MS).await {
            return Err(format!(
                "the Functions sandbox did not load within {SANDBOX_LOAD_TIMEOUT_MS} ms"
            ));
        }
        let target = sandbox
            .iframe
            .content_window()
            .ok_or("the Functions sandbox has no window")?;
        let channel = MessageChannel::new().map_err(|error| describe("MessageChannel", &error))?;
        let port = channel.port1();

        let received = Rc::new(RefCell::new(Intake::new()));
        let resolve_slot = Rc::new(RefCell::new(None::<Function>));
        let answered = Promise::new(&mut |resolve, _reject| {
            *resolve_slot.borrow_mut() = Some(resolve);
        });
        let on_message = {
            let received = Rc::clone(&received);
            let resolve_slot = Rc::clone(&resolve_slot);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                let Some(js_text) = data.dyn_ref::<JsString>() else {
                    return;
                };
                // The size is checked before the text is copied into the app's memory.
                let chars = js_text.length() as usize;
                let terminal = {
                    let mut intake = received.borrow_mut();
                    if intake.fits(chars) {
                        intake.push(String::from(js_text))
                    } else {
                        intake.too_large(chars);
                        true
                    }
                };
                if terminal {
                    if let Some(resolve) = resolve_slot.borrow_mut().take() {
                        // Resolving a promise cannot fail in a way that matters here.
                        let _ = resolve.call0(&JsValue::UNDEFINED);
                    }
                }
            })
        };
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        let transfer = Array::of1(&channel.port2());
        let posted = target
            .post_message_with_transfer(&JsValue::from_str(message), "*", &transfer)
            .map_err(|error| describe("postMessage", &error));
        if posted.is_ok() {
            let limit = timeout_ms.saturating_add(ANSWER_GRACE_MS);
            if !settles_within(&window, &answered, limit).await {
                // Best effort: ask the frame to stop the worker we no longer wait for.
                let _ = port.post_message(&JsValue::from_str(CANCEL));
            }
        }
        port.set_onmessage(None);
        port.close();
        drop(on_message);
        posted?;
        let messages = std::mem::take(&mut *received.borrow_mut()).finish();
        Ok(messages)
    }

    /// The sandbox frame's document, built once from the runtime's scripts.
    async fn srcdoc(&self, window: &Window) -> Result<Rc<str>, String> {
        if let Some(doc) = self.inner.srcdoc.borrow().as_ref() {
            return Ok(Rc::clone(doc));
        }
        let doc: Rc<str> = match &self.inner.runtime {
            Runtime::Inline { worker, frame } => frame_srcdoc(worker, frame).into(),
            Runtime::Assets => {
                let worker = fetch_text(window, WORKER_URL).await?;
                let frame = fetch_text(window, FRAME_URL).await?;
                frame_srcdoc(&worker, &frame).into()
            }
        };
        *self.inner.srcdoc.borrow_mut() = Some(Rc::clone(&doc));
        Ok(doc)
    }

    /// The sandbox iframe, created (or recreated, if it left the document) on demand.
    fn sandbox(&self, window: &Window, srcdoc: &str) -> Result<Sandbox, String> {
        let mut slot = self.inner.sandbox.borrow_mut();
        if let Some(sandbox) = slot
            .as_ref()
            .filter(|sandbox| sandbox.iframe.is_connected())
        {
            return Ok(sandbox.clone());
        }
        let document = window.document().ok_or("the page has no document")?;
        let iframe: HtmlIFrameElement = document
            .create_element("iframe")
            .map_err(|error| describe("createElement", &error))?
            .dyn_into()
            .map_err(|_| "the page did not create an iframe element".to_owned())?;
        for (name, value) in [
            // Scripts only: no allow-same-origin, so the frame's origin is opaque.
            ("sandbox", "allow-scripts"),
            ("hidden", ""),
            ("aria-hidden", "true"),
            ("tabindex", "-1"),
            ("title", "Flowpen Functions sandbox"),
            ("data-testid", "functions-sandbox"),
        ] {
            iframe
                .set_attribute(name, value)
                .map_err(|error| describe("setAttribute", &error))?;
        }
        iframe
            .set_attribute("srcdoc", srcdoc)
            .map_err(|error| describe("setAttribute", &error))?;
        let loaded = Promise::new(&mut |resolve, _reject| {
            // The listener is the resolve function itself: it stays valid without a closure.
            let _ = iframe.add_event_listener_with_callback("load", &resolve);
        });
        let parent: web_sys::Node = match document.body() {
            Some(body) => body.into(),
            None => document
                .document_element()
                .ok_or("the page has no root element")?
                .into(),
        };
        parent
            .append_child(&iframe)
            .map_err(|error| describe("appendChild", &error))?;
        if let Some(old) = slot.take() {
            old.iframe.remove();
        }
        let sandbox = Sandbox { iframe, loaded };
        *slot = Some(sandbox.clone());
        Ok(sandbox)
    }
}

/// Whether `promise` settles within `ms` milliseconds.
async fn settles_within(window: &Window, promise: &Promise, ms: u32) -> bool {
    let delay = i32::try_from(ms).unwrap_or(i32::MAX);
    let mut handle = None;
    let deadline = Promise::new(&mut |resolve, _reject| {
        handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                delay,
                &JsValue::from_str(DEADLINE),
            )
            .ok();
    });
    let winner = JsFuture::from(Promise::race(&Array::of2(promise, &deadline))).await;
    if let Some(handle) = handle {
        window.clear_timeout_with_handle(handle);
    }
    !matches!(winner, Ok(value) if value.as_string().as_deref() == Some(DEADLINE))
}

/// The text of one of the app's own files (a script of the runtime), or why it cannot be had.
async fn fetch_text(window: &Window, url: &str) -> Result<String, String> {
    let failed = |why: String| format!("the Functions runtime could not be loaded ({url}): {why}");
    let pending = window.fetch_with_str(url);
    if !settles_within(window, &pending, SANDBOX_LOAD_TIMEOUT_MS).await {
        return Err(failed(format!(
            "no answer within {SANDBOX_LOAD_TIMEOUT_MS} ms"
        )));
    }
    let response: Response = JsFuture::from(pending)
        .await
        .map_err(|error| failed(detail(&error)))?
        .dyn_into()
        .map_err(|_| failed("fetch did not give a response".to_owned()))?;
    if !response.ok() {
        return Err(failed(format!("HTTP {}", response.status())));
    }
    let text = response.text().map_err(|error| failed(detail(&error)))?;
    JsFuture::from(text)
        .await
        .map_err(|error| failed(detail(&error)))?
        .as_string()
        .ok_or_else(|| failed("the response is not text".to_owned()))
}

/// Milliseconds from the page's time origin (a monotonic clock when available).
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}

/// A browser error as text.
fn describe(what: &str, error: &JsValue) -> String {
    format!("{what} failed in the Functions host: {}", detail(error))
}

/// What a thrown JavaScript value says.
fn detail(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

//! The simulator's driver: it feeds the user's inputs and the shell's answers to the pure
//! [`Simulator`] and carries out the [`Command`]s it returns. It decides nothing itself.
//!
//! - Time is `js_sys::Date::now()`.
//! - `Command::Http` for an in-browser Function URL goes to the [`FunctionsHost`] (with the
//!   project's Functions as they are at that moment; the Function's console output is kept with
//!   the step), unless what a link brought waits for consent: then it fails at once with a step
//!   that explains ([`http::untrusted`]). Any other URL goes to `fetch` ([`super::fetch`]). The answer comes back through
//!   [`Simulator::http_done`]; for an execution that moved on, the engine ignores it.
//! - `Command::Cancel` aborts a fetch in flight.
//! - One gloo timer is kept armed for [`Simulator::timer`]; it is replaced or cancelled after
//!   every change, and fires [`Simulator::fire_timer`].
//!
//! Components read the simulator through the [`Sim`] context value, which changes (by its
//! revision) after every change, and send inputs through its methods.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use flowpen_engine::Trigger;
use gloo_timers::callback::Timeout;
use web_sys::AbortController;
use yew::prelude::*;

use super::fetch;
use super::Latest;
use crate::functions::FunctionsHost;
use flowpen_playground::editor::liquid;
use flowpen_playground::simulator::http::{self, Via};
use flowpen_playground::simulator::{Answer, Command, Origin, Simulator, Timer};

struct Inner {
    sim: RefCell<Simulator>,
    editor: Latest,
    host: FunctionsHost,
    timer: RefCell<Option<(Timer, Timeout)>>,
    inflight: RefCell<BTreeMap<(u32, u32), AbortController>>,
    rev: Cell<u64>,
    redraw: RefCell<Option<Callback<()>>>,
}

/// The simulator as the page sees it: read it with [`Sim::view`], drive it with the methods.
/// Equality is the revision, so components re-render after every change.
#[derive(Clone)]
pub struct Sim {
    inner: Rc<Inner>,
    pub rev: u64,
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner) && self.rev == other.rev
    }
}

fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

impl Sim {
    /// Reads the simulator (`None` only if it is being changed, which never happens during a
    /// render).
    pub fn view<R>(&self, f: impl FnOnce(&Simulator) -> R) -> Option<R> {
        self.inner.sim.try_borrow().ok().map(|s| f(&s))
    }

    /// The contact writes a message.
    pub fn chat(&self, body: String) {
        let (flow, rev) = self.flow();
        self.apply(move |s, now| s.chat(&flow, rev, &body, now));
    }

    /// Starts an execution as a REST API request.
    pub fn rest(&self, from: String, to: String, parameters: serde_json::Value) {
        let (flow, rev) = self.flow();
        let trigger = Trigger::Rest {
            from,
            to,
            parameters,
        };
        self.apply(move |s, now| s.start(&flow, rev, trigger, Origin::Rest, now));
    }

    pub fn restart(&self) {
        let (flow, rev) = self.flow();
        self.apply(move |s, now| s.restart(&flow, rev, now));
    }

    pub fn stop(&self) {
        self.apply(|s, now| s.stop(now));
    }

    pub fn skip_wait(&self) {
        self.apply(|s, now| s.skip_wait(now));
    }

    pub fn select(&self, id: u32) {
        self.apply(move |s, _| {
            s.select(id);
            Vec::new()
        });
    }

    pub fn select_step(&self, step: Option<usize>) {
        self.apply(move |s, _| {
            s.select_step(step);
            Vec::new()
        });
    }

    pub fn set_fail_next_send(&self, on: bool) {
        self.apply(move |s, _| {
            s.set_fail_next_send(on);
            Vec::new()
        });
    }

    pub fn clear(&self) {
        self.apply(|s, _| {
            s.clear();
            Vec::new()
        });
    }

    /// The editor's flow and its revision, now.
    fn flow(&self) -> (Rc<flowpen_flow::Flow>, u64) {
        let editor = self.inner.editor.borrow();
        (Rc::clone(&editor.doc.flow), editor.doc.flow_rev)
    }

    fn apply(&self, f: impl FnOnce(&mut Simulator, u64) -> Vec<Command>) {
        apply(&self.inner, f);
    }
}

/// Changes the simulator, carries out the commands, re-arms the timer, redraws.
fn apply(inner: &Rc<Inner>, f: impl FnOnce(&mut Simulator, u64) -> Vec<Command>) {
    let commands = match inner.sim.try_borrow_mut() {
        Ok(mut s) => f(&mut s, now()),
        Err(_) => return,
    };
    for command in commands {
        perform(inner, command);
    }
    sync_timer(inner);
    inner.rev.set(inner.rev.get() + 1);
    let redraw = inner.redraw.borrow().clone();
    if let Some(redraw) = redraw {
        redraw.emit(());
    }
}

fn perform(inner: &Rc<Inner>, command: Command) {
    match command {
        Command::Http {
            execution,
            via: Via::Function,
            request,
        } => {
            let refused = inner
                .editor
                .borrow()
                .untrusted()
                .map(|p| http::untrusted(&request, p.shared_code));
            if let Some(error) = refused {
                let weak = Rc::downgrade(inner);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(inner) = weak.upgrade() {
                        apply(&inner, |s, now| {
                            s.http_done(execution, request.id, Err(error), Answer::default(), now)
                        });
                    }
                });
                return;
            }
            let project = (*inner.editor.borrow().project.functions).clone();
            let host = inner.host.clone();
            let weak = Rc::downgrade(inner);
            wasm_bindgen_futures::spawn_local(async move {
                let timeout = u32::try_from(request.timeout_ms).unwrap_or(u32::MAX);
                let call = host.invoke(&project, &request, timeout).await;
                let response = call.response;
                let note = http::function_note(&request, &response);
                let answer = Answer {
                    logs: call.logs,
                    duration_ms: call.duration_ms,
                    note,
                };
                if let Some(inner) = weak.upgrade() {
                    apply(&inner, |s, now| {
                        s.http_done(execution, request.id, Ok(response), answer, now)
                    });
                }
            });
        }
        Command::Http {
            execution,
            via: Via::Network,
            request,
        } => {
            let Ok(controller) = AbortController::new() else {
                return;
            };
            let key = (execution, request.id.0);
            inner.inflight.borrow_mut().insert(key, controller.clone());
            let weak = Rc::downgrade(inner);
            wasm_bindgen_futures::spawn_local(async move {
                let fetched = fetch::perform(&request, controller).await;
                let Some(inner) = weak.upgrade() else { return };
                inner.inflight.borrow_mut().remove(&key);
                let answer = Answer {
                    logs: Vec::new(),
                    duration_ms: fetched.duration_ms,
                    note: fetched.note,
                };
                apply(&inner, |s, now| {
                    s.http_done(execution, request.id, fetched.result, answer, now)
                });
            });
        }
        Command::Cancel { execution, request } => {
            if let Some(c) = inner.inflight.borrow_mut().remove(&(execution, request.0)) {
                c.abort();
            }
        }
    }
}

/// Keeps exactly the simulator's timer armed.
fn sync_timer(inner: &Rc<Inner>) {
    let wanted = inner.sim.try_borrow().ok().and_then(|s| s.timer());
    let mut slot = inner.timer.borrow_mut();
    if slot.as_ref().map(|(t, _)| *t) == wanted {
        return;
    }
    // Dropping the old gloo timer cancels it.
    *slot = wanted.map(|t| {
        let delay = t.fire_at_ms.saturating_sub(now()).min(i32::MAX as u64) as u32;
        let weak: Weak<Inner> = Rc::downgrade(inner);
        let timeout = Timeout::new(delay, move || {
            if let Some(inner) = weak.upgrade() {
                if let Ok(mut slot) = inner.timer.try_borrow_mut() {
                    *slot = None;
                }
                apply(&inner, |s, now| {
                    s.fire_timer(t.execution, t.deadline_ms, now)
                });
            }
        });
        (t, timeout)
    });
}

/// The simulator for the page's lifetime, redrawing the calling component after every change.
#[hook]
pub fn use_simulator(editor: Latest) -> Sim {
    let redraw = use_force_update();
    let inner = use_memo((), move |_| Inner {
        sim: RefCell::new(Simulator::new(liquid::shared())),
        editor,
        host: FunctionsHost::new(),
        timer: RefCell::new(None),
        inflight: RefCell::new(BTreeMap::new()),
        rev: Cell::new(0),
        redraw: RefCell::new(None),
    });
    *inner.redraw.borrow_mut() = Some(Callback::from(move |()| redraw.force_update()));
    Sim {
        rev: inner.rev.get(),
        inner,
    }
}

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
use std::rc::{Rc, Weak};

use flowpen_engine::{Breakpoint, SortedSet, Trigger, TriggerKind};
use flowpen_playground::editor::{Action, Level};
use gloo_timers::callback::Timeout;
use web_sys::AbortController;
use yew::prelude::*;

use super::fetch;
use super::Latest;
use crate::functions::FunctionsHost;
use flowpen_playground::editor::liquid;
use flowpen_playground::project::{engine_subflows, WidgetStub};
use flowpen_playground::simulator::http::{self, Via};
use flowpen_playground::simulator::{Answer, CallerInput, Command, Origin, Simulator, Timer};

struct Inner {
    sim: RefCell<Simulator>,
    editor: Latest,
    host: FunctionsHost,
    timer: RefCell<Option<(Timer, Timeout)>>,
    /// The requests on the network, by (execution, request): a list (a few at a time; a map's
    /// code would be one more copy in the wasm).
    inflight: RefCell<Vec<((u32, u32), AbortController)>>,
    rev: Cell<u64>,
    redraw: RefCell<Option<Callback<()>>>,
    /// The key of the subflow the latest execution was started from (its tab), `None` for the
    /// main flow: how the project's breakpoints map to the executions' flows.
    runs: RefCell<Option<String>>,
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

    /// Starts an execution with `trigger`.
    pub fn start(&self, trigger: Trigger, origin: Origin) {
        let (flow, rev) = self.flow();
        self.apply(move |s, now| s.start(&flow, rev, trigger, origin, now));
    }

    /// Starts an execution as a REST API request.
    pub fn rest(&self, from: String, to: String, parameters: serde_json::Value) {
        let trigger = Trigger::Rest {
            from,
            to,
            parameters,
        };
        self.start(trigger, Origin::Rest);
    }

    pub fn restart(&self) {
        let (flow, rev) = self.flow();
        self.apply(move |s, now| s.restart(&flow, rev, now));
    }

    /// The caller presses keys, speaks, leaves a recording or hangs up.
    pub fn caller(&self, input: CallerInput) {
        self.apply(move |s, now| s.caller(input, now));
    }

    /// Rewinds execution `execution` to step `step` (a new execution replayed to that point).
    pub fn rewind(&self, execution: u32, step: usize) {
        let dispatch = self.inner.editor.borrow().dispatcher();
        self.apply(move |s, now| match s.rewind(execution, step, now) {
            Ok(commands) => commands,
            Err(e) => {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: format!("Could not rewind: {e}"),
                });
                Vec::new()
            }
        });
    }

    /// Starts an execution at `widget` of the flow on the canvas with `flow_data`.
    pub fn start_at(&self, widget: String, flow_data: serde_json::Value, kind: TriggerKind) {
        let (flow, rev) = self.flow();
        let dispatch = self.inner.editor.borrow().dispatcher();
        self.apply(
            move |s, now| match s.start_at(&flow, rev, &widget, flow_data, kind, now) {
                Ok(commands) => commands,
                Err(e) => {
                    dispatch.dispatch(Action::Notify {
                        level: Level::Error,
                        text: format!("Could not start at {widget}: {e}"),
                    });
                    Vec::new()
                }
            },
        );
    }

    /// The paused execution goes on (to the next breakpoint or wait).
    pub fn continue_(&self) {
        self.apply(|s, now| s.continue_(now));
    }

    /// The paused execution runs one widget and pauses again.
    pub fn step(&self) {
        self.apply(|s, now| s.step(now));
    }

    /// Replaces the paused execution's Flow Data; says why when it cannot.
    pub fn set_flow_data(&self, flow_data: serde_json::Value) {
        let dispatch = self.inner.editor.borrow().dispatcher();
        self.apply(move |s, now| {
            if let Err(e) = s.set_flow_data(flow_data, now) {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: format!("Flow Data was not changed: {e}"),
                });
            }
            Vec::new()
        });
    }

    /// Gives the simulator the project's breakpoints and stubs (as the flow the executions run
    /// sees them) when they changed; the active execution gets them at once.
    pub fn sync_debugger(&self) {
        let (breakpoints, stubs) = wanted(&self.inner);
        let changed = self
            .view(|s| *s.breakpoints() != breakpoints || **s.stubs() != stubs)
            .unwrap_or(false);
        if changed {
            self.apply(|s, now| {
                if *s.breakpoints() != breakpoints {
                    s.set_breakpoints(breakpoints, now);
                }
                if **s.stubs() != stubs {
                    s.set_stubs(Rc::new(stubs));
                }
                Vec::new()
            });
        }
    }

    /// The outside world answers the waiting widget with `event` and `variables`.
    pub fn answer_external(&self, event: String, variables: Vec<(String, serde_json::Value)>) {
        self.apply(move |s, now| s.answer_external(&event, variables, now));
    }

    /// The Functions host (one sandbox for the page): the Tests panel runs Functions in it too.
    pub fn functions_host(&self) -> FunctionsHost {
        self.inner.host.clone()
    }

    /// Shows a flow test's run in the log, selected (at `step`); returns its execution's id.
    pub fn show_test_run(
        &self,
        run: (flowpen_engine::Engine, Vec<(flowpen_engine::Input, u64)>),
        case: &str,
        flow_rev: u64,
        step: Option<usize>,
    ) -> u32 {
        let mut id = 0;
        self.apply(|s, _| {
            id = s.add_test_run(run.0, run.1, case, flow_rev, step);
            Vec::new()
        });
        id
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

    /// The editor's flow and its revision, now; the simulator gets the project's subflows too.
    /// The breakpoints and stubs follow: an execution started from a subflow's tab runs that
    /// subflow.
    fn flow(&self) -> (Rc<flowpen_flow::Flow>, u64) {
        let editor = self.inner.editor.borrow();
        let subflows = engine_subflows(&editor.project.subflows);
        *self.inner.runs.borrow_mut() = editor.open_subflow_key();
        let (breakpoints, stubs) = wanted(&self.inner);
        if let Ok(mut s) = self.inner.sim.try_borrow_mut() {
            s.set_subflows(subflows);
            if *s.breakpoints() != breakpoints {
                s.set_breakpoints(breakpoints, now());
            }
            if **s.stubs() != stubs {
                s.set_stubs(Rc::new(stubs));
            }
        }
        (Rc::clone(&editor.doc.flow), editor.doc.flow_rev)
    }

    fn apply(&self, f: impl FnOnce(&mut Simulator, u64) -> Vec<Command>) {
        apply(&self.inner, f);
    }
}

/// The project's breakpoints and stubs as the executions' flow sees them.
fn wanted(inner: &Inner) -> (SortedSet<Breakpoint>, Vec<WidgetStub>) {
    let editor = inner.editor.borrow();
    let runs = inner.runs.borrow();
    (
        editor.engine_breakpoints(runs.as_deref()),
        editor.engine_stubs(runs.as_deref()),
    )
}

/// Forgets request `key` on the network, giving back its controller.
fn take_inflight(inner: &Inner, key: (u32, u32)) -> Option<AbortController> {
    let mut inflight = inner.inflight.borrow_mut();
    let at = inflight.iter().position(|(k, _)| *k == key)?;
    Some(inflight.swap_remove(at).1)
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
            let refused = inner.editor.borrow().refuses_function_call(&request);
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
            inner.inflight.borrow_mut().push((key, controller.clone()));
            let weak = Rc::downgrade(inner);
            wasm_bindgen_futures::spawn_local(async move {
                let fetched = fetch::perform(&request, controller).await;
                let Some(inner) = weak.upgrade() else { return };
                take_inflight(&inner, key);
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
        Command::Answer {
            execution,
            request,
            result,
            after_ms,
        } => {
            // A stale answer is ignored by the simulator, so the timer may simply run out.
            let weak = Rc::downgrade(inner);
            let delay = u32::try_from(after_ms).unwrap_or(u32::MAX);
            Timeout::new(delay, move || {
                if let Some(inner) = weak.upgrade() {
                    let answer = Answer {
                        logs: Vec::new(),
                        duration_ms: after_ms as f64,
                        note: Some(
                            "Stubbed in the simulator: the real call was not made.".to_owned(),
                        ),
                    };
                    apply(&inner, |s, now| {
                        s.http_done(execution, request, result, answer, now)
                    });
                }
            })
            .forget();
        }
        Command::Cancel { execution, request } => {
            if let Some(c) = take_inflight(inner, (execution, request.0)) {
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
        inflight: RefCell::new(Vec::new()),
        rev: Cell::new(0),
        redraw: RefCell::new(None),
        runs: RefCell::new(None),
    });
    *inner.redraw.borrow_mut() = Some(Callback::from(move |()| redraw.force_update()));
    Sim {
        rev: inner.rev.get(),
        inner,
    }
}

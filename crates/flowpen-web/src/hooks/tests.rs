//! The Tests panel's driver: runs the project's flow test cases with the pure runner
//! (`flowpen_playground::flowtest`), answering what it asks of a shell (a project Function: the
//! Functions host; the network, when the user allows it: `fetch`), keeps the results, and shows a
//! case's run in the execution log. What a case means and how it is judged is the runner's.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use flowpen_engine::{Engine, Input};
use flowpen_playground::editor::liquid;
use flowpen_playground::flowtest::{
    self, CaseResult, Coverage, Progress, RunOptions, Runner, ShellAnswer, ShellRequest, Target,
};
use web_sys::AbortController;
use yew::prelude::*;

use super::simulator::Sim;
use super::{fetch, Latest};

/// A case's engine as its run left it, and the inputs it took with their times (so that its
/// run in the log can be rewound).
type CaseEngine = (Engine, Vec<(Input, u64)>);

/// What the results were computed against: the main flow, the subflows, the Functions and the
/// tests (by pointer: the editor replaces them on every change).
pub type ProjectKey = [usize; 4];

/// The key of the project as the editor has it now.
pub fn project_key(editor: &flowpen_playground::editor::EditorState) -> ProjectKey {
    [
        Rc::as_ptr(editor.main_flow()) as usize,
        Rc::as_ptr(&editor.project.subflows) as usize,
        Rc::as_ptr(&editor.project.functions) as usize,
        Rc::as_ptr(&editor.project.tests) as usize,
    ]
}

/// The results of the last run.
#[derive(Default)]
pub struct TestsState {
    /// By case position; `None`: not run. Shared: the panel takes them on every render.
    pub results: Vec<Option<Rc<CaseResult>>>,
    /// Each case's engine as the run left it, with the inputs it took, to show its run in the log
    /// (taken when shown).
    engines: Vec<Option<CaseEngine>>,
    /// The execution each case's run became in the log, once shown.
    shown: Vec<Option<u32>>,
    /// The project the results belong to (`None`: nothing ran).
    pub against: Option<ProjectKey>,
    /// A run is going on (the case being run).
    pub running: Option<usize>,
    /// Unstubbed URLs other than the project's Functions become real requests.
    pub allow_network: bool,
    /// The canvas greys what no case reached.
    pub show_coverage: bool,
}

impl TestsState {
    /// The coverage of the results (of the project they ran against).
    pub fn coverage(&self, target: &Target) -> Option<Coverage> {
        if self.results.iter().all(Option::is_none) {
            return None;
        }
        let mut c = Coverage::new(target);
        for r in self.results.iter().flatten() {
            c.add(target, r);
        }
        Some(c)
    }
}

struct Inner {
    state: RefCell<TestsState>,
    editor: Latest,
    sim: Sim,
    rev: Cell<u64>,
    redraw: RefCell<Option<Callback<()>>>,
}

/// The Tests panel's view of the runs: read with [`Tests::view`], drive with the methods.
/// Equality is the revision.
#[derive(Clone)]
pub struct Tests {
    inner: Rc<Inner>,
    pub rev: u64,
}

impl PartialEq for Tests {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner) && self.rev == other.rev
    }
}

impl Tests {
    pub fn view<R>(&self, f: impl FnOnce(&TestsState) -> R) -> Option<R> {
        self.inner.state.try_borrow().ok().map(|s| f(&s))
    }

    fn change(&self, f: impl FnOnce(&mut TestsState)) {
        change(&self.inner, f);
    }

    pub fn set_allow_network(&self, on: bool) {
        self.change(|s| s.allow_network = on);
    }

    pub fn set_show_coverage(&self, on: bool) {
        self.change(|s| s.show_coverage = on);
    }

    /// Runs case `only`, or every case, one after the other (a project Function is awaited).
    /// Nothing happens while a run goes on, or when the tests text does not read.
    pub fn run(&self, only: Option<usize>) {
        if self.view(|s| s.running.is_some()).unwrap_or(true) {
            return;
        }
        let editor = self.inner.editor.borrow().clone();
        let Ok(file) = flowtest::parse(&editor.project.tests) else {
            return;
        };
        let key = project_key(&editor);
        let target = Target::from_project(editor.project_ref());
        let allow_network = self.view(|s| s.allow_network).unwrap_or(false);
        let cases: Vec<usize> = match only {
            Some(i) if i < file.cases.len() => vec![i],
            Some(_) => return,
            None => (0..file.cases.len()).collect(),
        };
        let n = file.cases.len();
        self.change(|s| {
            if s.against != Some(key) || s.results.len() != n {
                s.results = vec![None; n];
                s.engines = (0..n).map(|_| None).collect();
                s.shown = vec![None; n];
            }
            s.against = Some(key);
            s.running = cases.first().copied();
        });
        let inner = Rc::clone(&self.inner);
        let host = self.inner.sim.functions_host();
        wasm_bindgen_futures::spawn_local(async move {
            let runner = Runner::with_liquid(
                &target,
                &file,
                RunOptions {
                    allow_network,
                    ..RunOptions::default()
                },
                liquid::shared(),
            );
            for i in cases {
                change(&inner, |s| s.running = Some(i));
                let mut run = runner.start(i, &file.cases[i]);
                while let Progress::Request(request) = run.poll() {
                    let answer = match request {
                        ShellRequest::Function { request, options } => {
                            // A project whose content came with a link runs no Function before
                            // the user consents (Trust and run), in a test as in the simulator:
                            // the call fails and the case's step says why.
                            let refused = inner.editor.borrow().refuses_function_call(&request);
                            match refused {
                                Some(error) => ShellAnswer::Response {
                                    result: Err(error),
                                    logs: Vec::new(),
                                },
                                None => {
                                    let inv = host
                                        .invoke_with(&target.functions, &request, &options)
                                        .await;
                                    ShellAnswer::Response {
                                        result: Ok(inv.response),
                                        logs: inv.logs,
                                    }
                                }
                            }
                        }
                        ShellRequest::Network { request } => match AbortController::new() {
                            Ok(controller) => ShellAnswer::Response {
                                result: fetch::perform(&request, controller).await.result,
                                logs: Vec::new(),
                            },
                            Err(_) => ShellAnswer::Fail("the browser cannot make requests".into()),
                        },
                    };
                    run.answer(answer);
                }
                let (result, engine, inputs) = run.into_parts();
                change(&inner, |s| {
                    if s.against == Some(key) && i < s.results.len() {
                        s.results[i] = Some(Rc::new(result));
                        s.engines[i] = Some((engine, inputs));
                        s.shown[i] = None;
                    }
                });
            }
            change(&inner, |s| s.running = None);
        });
    }

    /// Shows case `i`'s run in the execution log (as a new execution the first time, then by
    /// selecting it), at its failing step when it failed.
    pub fn show_in_log(&self, i: usize) {
        let Some((step, engine, shown, name)) =
            self.inner.state.try_borrow_mut().ok().and_then(|mut s| {
                let r = s.results.get(i)?.as_ref()?;
                let (name, step) = (r.name.clone(), r.failure.as_ref().and_then(|f| f.log_step));
                let shown = s.shown.get(i).copied().flatten();
                let engine = s.engines.get_mut(i).and_then(Option::take);
                Some((step, engine, shown, name))
            })
        else {
            return;
        };
        let sim = &self.inner.sim;
        match (engine, shown) {
            (Some(engine), _) => {
                let flow_rev = self.inner.editor.borrow().doc.flow_rev;
                let id = sim.show_test_run(engine, &name, flow_rev, step);
                self.change(|s| {
                    if let Some(slot) = s.shown.get_mut(i) {
                        *slot = Some(id);
                    }
                });
            }
            (None, Some(id)) => {
                sim.select(id);
                sim.select_step(step);
            }
            (None, None) => {}
        }
    }
}

fn change(inner: &Rc<Inner>, f: impl FnOnce(&mut TestsState)) {
    if let Ok(mut s) = inner.state.try_borrow_mut() {
        f(&mut s);
    } else {
        return;
    }
    inner.rev.set(inner.rev.get() + 1);
    let redraw = inner.redraw.borrow().clone();
    if let Some(redraw) = redraw {
        redraw.emit(());
    }
}

/// The Tests panel's driver for the page's lifetime, redrawing the calling component on changes.
#[hook]
pub fn use_tests(editor: Latest, sim: Sim) -> Tests {
    let redraw = use_force_update();
    let inner = use_memo((), move |_| Inner {
        state: RefCell::new(TestsState::default()),
        editor,
        sim,
        rev: Cell::new(0),
        redraw: RefCell::new(None),
    });
    *inner.redraw.borrow_mut() = Some(Callback::from(move |()| redraw.force_update()));
    Tests {
        rev: inner.rev.get(),
        inner,
    }
}

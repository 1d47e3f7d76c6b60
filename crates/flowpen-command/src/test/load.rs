//! Finding test files and what they run against: `flow:` relative to the test file (or
//! `shared:PATH` in the shared fixtures folder), and for a plain Studio flow the `functions`,
//! `env` and `subflows` the test file names.
//!
//! [`Loader`] is sans-IO: it says which file it needs next ([`Loader::next`]), the shell reads it
//! (synchronously or not) and gives the bytes back ([`Loader::give`]), until it is done
//! ([`Loader::finish`]). Every error is a line `path:line:column: error …` or `path: error …`.

use std::collections::VecDeque;
use std::path::Path;
use std::rc::Rc;

use flowpen_flow::Flow;
use flowpen_playground::flowtest::{self, Target, TestFile, MAX_TEXT_BYTES};
use flowpen_playground::project::{
    parse_document, Document, FunctionDef, FunctionsProject, Subflow,
};

use crate::{utf8, Host, Kind, ReadFailure};

/// The largest flow or Function file read.
pub const MAX_FLOW_BYTES: usize = 16 * 1024 * 1024;

/// A test file, read, with what its cases run against.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// As given on the command line (or found under a directory).
    pub path: String,
    pub file: TestFile,
    /// What the cases run against, in a form threads share: a [`Target`] holds `Rc`s, so each
    /// thread builds its own with [`Loaded::target`].
    main: Flow,
    functions: FunctionsProject,
    /// (name, SID, flow)
    subflows: Vec<(String, String, Flow)>,
    /// The flow file the cases run, as shown, and as a key (canonical: coverage is per flow file).
    pub flow_shown: String,
    pub flow_key: String,
    /// What the shell prints on standard error while loading (a note about ignored fields).
    pub notes: Vec<String>,
}

impl Loaded {
    /// The target, for this thread.
    pub fn target(&self) -> Target {
        Target {
            flow: self.main.clone(),
            functions: self.functions.clone(),
            subflows: self
                .subflows
                .iter()
                .map(|(name, sid, flow)| Subflow {
                    name: name.clone(),
                    sid: sid.clone(),
                    flow: Rc::new(flow.clone()),
                })
                .collect(),
        }
    }

    /// Adds Functions (they replace those of the same path) and environment variables: the npm
    /// package's `runTests(…, { functions, env })`.
    pub fn add_functions(&mut self, functions: Vec<FunctionDef>, env: Vec<(String, String)>) {
        for f in functions {
            self.functions.functions.retain(|g| g.path != f.path);
            self.functions.functions.push(f);
        }
        for (k, v) in env {
            self.functions.env.retain(|(name, _)| *name != k);
            self.functions.env.push((k, v));
        }
    }
}

/// Every `*.test.yaml` under `dir` (hidden folders, `node_modules` and `target` skipped), sorted.
pub fn find(dir: &str, host: &mut dyn Host, out: &mut Vec<String>) {
    let mut entries: Vec<(String, String)> = host
        .list(dir)
        .into_iter()
        .map(|name| (Path::new(dir).join(&name).display().to_string(), name))
        .collect();
    entries.sort();
    for (path, name) in entries {
        if host.kind(&path) == Kind::Dir {
            if !(name.starts_with('.') || name == "node_modules" || name == "target") {
                find(&path, host, out);
            }
        } else if name.ends_with(".test.yaml") {
            out.push(path);
        }
    }
}

/// The shared fixtures folder for a test file in `from`: `FLOWPEN_SHARED`, else the first
/// `shared` folder beside the test file's folder or one of its ancestors.
pub fn shared_dir(from: &str, host: &mut dyn Host) -> Option<String> {
    if let Some(dir) = host.var("FLOWPEN_SHARED") {
        return Some(dir);
    }
    let start = host.canonical(from).unwrap_or_else(|| from.to_owned());
    let candidates: Vec<String> = Path::new(&start)
        .ancestors()
        .map(|a| a.join("shared").display().to_string())
        .collect();
    candidates.into_iter().find(|c| host.kind(c) == Kind::Dir)
}

/// The shared fixtures folder for the test file at `path` (see [`shared_dir`]).
pub fn shared_dir_for(path: &str, host: &mut dyn Host) -> Option<String> {
    let dir = Path::new(path)
        .parent()
        .map(|d| d.display().to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| ".".to_owned());
    shared_dir(&dir, host)
}

/// What the loader reads after the flow, for a plain flow.
#[derive(Debug)]
enum Extra {
    /// A Function: its path (`/random`).
    Function(String),
    /// A subflow: its key (a flow SID or a widget name).
    Subflow(String),
}

#[derive(Debug)]
enum Stage {
    TestFile,
    Flow {
        file: TestFile,
        flow_name: String,
    },
    Extras {
        file: TestFile,
        main: Flow,
        functions: FunctionsProject,
        subflows: Vec<(String, String, Flow)>,
        flow_shown: String,
        queue: VecDeque<(Extra, String)>,
        current: Option<Extra>,
    },
    Done(Result<Box<Loaded>, String>),
}

/// Loads one test file and its target, asking the shell for each file in turn.
#[derive(Debug)]
pub struct Loader {
    shown: String,
    dir: String,
    shared: Option<String>,
    stage: Stage,
    /// The file the shell must read now, with its size limit.
    need: Option<(String, usize)>,
    flow_key: Option<String>,
    notes: Vec<String>,
}

impl Loader {
    /// Loads the test file at `path` (as shown in reports); `shared` is the shared fixtures
    /// folder for `shared:` paths ([`shared_dir`]), if there is one.
    pub fn new(path: &str, shared: Option<String>) -> Loader {
        let dir = Path::new(path)
            .parent()
            .unwrap_or(Path::new("."))
            .display()
            .to_string();
        Loader {
            shown: path.to_owned(),
            dir,
            shared,
            stage: Stage::TestFile,
            need: Some((path.to_owned(), MAX_TEXT_BYTES)),
            flow_key: None,
            notes: Vec::new(),
        }
    }

    /// The file to read now and its size limit (`None`: done, see [`Loader::finish`]).
    pub fn next(&self) -> Option<(&str, usize)> {
        self.need.as_ref().map(|(p, l)| (p.as_str(), *l))
    }

    /// The flow file's canonical path, when the shell knows it (coverage adds up results per
    /// flow file): give it along with the flow file's bytes.
    pub fn set_flow_key(&mut self, key: String) {
        if matches!(self.stage, Stage::Flow { .. }) {
            self.flow_key = Some(key);
        }
    }

    /// Whether the file asked for now is the flow file (the shell may give its canonical path).
    pub fn wants_flow(&self) -> bool {
        matches!(self.stage, Stage::Flow { .. })
    }

    /// The file asked for by [`Loader::next`], or why it could not be read.
    pub fn give(&mut self, read: Result<Vec<u8>, ReadFailure>) {
        let Some((path, limit)) = self.need.take() else {
            return;
        };
        let text = match read {
            Ok(bytes) => utf8(bytes).map_err(|e| format!("{path}: error cannot read: {e}")),
            Err(ReadFailure::TooLarge(size)) => Err(format!(
                "{path}: error the file has {size} bytes; at most {limit} are read"
            )),
            Err(ReadFailure::Io(e)) => Err(format!("{path}: error cannot read: {e}")),
        };
        let stage = std::mem::replace(&mut self.stage, Stage::Done(Err(String::new())));
        self.stage = match text {
            Err(e) => Stage::Done(Err(e)),
            Ok(text) => self.advance(stage, &path, text),
        };
    }

    /// The loaded file, or the first error.
    pub fn finish(self) -> Result<Loaded, String> {
        match self.stage {
            Stage::Done(r) => r.map(|b| *b),
            _ => Err(format!("{}: error the test file was not read", self.shown)),
        }
    }

    /// Where a name in the test file is.
    fn resolve(&self, name: &str) -> Result<String, String> {
        let path = match name.strip_prefix("shared:") {
            Some(rest) => match &self.shared {
                Some(shared) => Path::new(shared).join(rest.trim_start_matches('/')),
                None => return Err(format!(
                    "{}: error `{name}` is in the shared fixtures folder, which was not found (set FLOWPEN_SHARED, or put `shared` beside the repository)",
                    self.shown
                )),
            },
            None => Path::new(&self.dir).join(name),
        };
        Ok(path.display().to_string())
    }

    /// Takes the text of the file just read and moves on.
    fn advance(&mut self, stage: Stage, path: &str, text: String) -> Stage {
        match stage {
            Stage::TestFile => {
                let shown = &self.shown;
                let file = match flowtest::parse(&text) {
                    Ok(f) => f,
                    Err(e) => {
                        return Stage::Done(Err(format!(
                            "{shown}:{}:{}: error {}",
                            e.line, e.column, e.kind
                        )))
                    }
                };
                let Some(flow_name) = file.flow.clone() else {
                    return Stage::Done(Err(format!(
                        "{shown}: error the test file names no `flow:` (the Studio flow or project file its cases run)"
                    )));
                };
                match self.resolve(&flow_name) {
                    Err(e) => Stage::Done(Err(e)),
                    Ok(p) => {
                        self.need = Some((p, MAX_FLOW_BYTES));
                        Stage::Flow { file, flow_name }
                    }
                }
            }
            Stage::Flow { file, flow_name } => {
                let doc = match parse_document(&text) {
                    Ok(d) => d,
                    Err(e) => {
                        return Stage::Done(Err(format!(
                            "{path}:{}:{}: error {} (at {})",
                            e.line, e.column, e.message, e.path
                        )))
                    }
                };
                let plain = matches!(doc, Document::Flow(_));
                let Target {
                    flow: main,
                    functions,
                    subflows,
                } = Target::from_document(doc);
                let subflows: Vec<(String, String, Flow)> = subflows
                    .into_iter()
                    .map(|s| (s.name, s.sid, Rc::unwrap_or_clone(s.flow)))
                    .collect();
                let mut queue = VecDeque::new();
                let mut functions = functions;
                if plain {
                    for (fn_path, name) in &file.functions {
                        queue.push_back((Extra::Function(fn_path.clone()), name.clone()));
                    }
                    functions.env = file.env.clone();
                    for (key, name) in &file.subflows {
                        queue.push_back((Extra::Subflow(key.clone()), name.clone()));
                    }
                } else if !(file.functions.is_empty()
                    && file.env.is_empty()
                    && file.subflows.is_empty())
                {
                    self.notes.push(format!(
                        "{}: note: `functions`, `env` and `subflows` are ignored: {flow_name} is a project file, which has its own",
                        self.shown
                    ));
                }
                self.next_extra(Stage::Extras {
                    file,
                    main,
                    functions,
                    subflows,
                    flow_shown: path.to_owned(),
                    queue,
                    current: None,
                })
            }
            Stage::Extras {
                file,
                main,
                mut functions,
                mut subflows,
                flow_shown,
                queue,
                current,
            } => {
                match current {
                    Some(Extra::Function(fn_path)) => functions.functions.push(FunctionDef {
                        path: fn_path,
                        code: text,
                    }),
                    Some(Extra::Subflow(key)) => {
                        let flow = match Flow::parse(&text) {
                            Ok(f) => f,
                            Err(e) => {
                                return Stage::Done(Err(format!(
                                    "{path}:{}:{}: error {} (at {})",
                                    e.line, e.column, e.message, e.path
                                )))
                            }
                        };
                        let sid = if key.starts_with("FW") {
                            key.clone()
                        } else {
                            String::new()
                        };
                        subflows.push((key, sid, flow));
                    }
                    None => {}
                }
                self.next_extra(Stage::Extras {
                    file,
                    main,
                    functions,
                    subflows,
                    flow_shown,
                    queue,
                    current: None,
                })
            }
            done @ Stage::Done(_) => done,
        }
    }

    /// Asks for the next Function or subflow file, or finishes.
    fn next_extra(&mut self, stage: Stage) -> Stage {
        let Stage::Extras {
            file,
            main,
            functions,
            subflows,
            flow_shown,
            mut queue,
            ..
        } = stage
        else {
            return stage;
        };
        match queue.pop_front() {
            Some((extra, name)) => match self.resolve(&name) {
                Err(e) => Stage::Done(Err(e)),
                Ok(p) => {
                    self.need = Some((p, MAX_FLOW_BYTES));
                    Stage::Extras {
                        file,
                        main,
                        functions,
                        subflows,
                        flow_shown,
                        queue,
                        current: Some(extra),
                    }
                }
            },
            None => Stage::Done(Ok(Box::new(Loaded {
                path: self.shown.clone(),
                file,
                main,
                functions,
                subflows,
                flow_key: self.flow_key.take().unwrap_or_else(|| flow_shown.clone()),
                flow_shown,
                notes: std::mem::take(&mut self.notes),
            }))),
        }
    }

    /// Loads with a synchronous host (the canonical flow path from [`Host::canonical`]).
    pub fn load(path: &str, host: &mut dyn Host) -> Result<Loaded, String> {
        let shared = shared_dir_for(path, host);
        let mut loader = Loader::new(path, shared);
        while let Some((p, limit)) = loader.next() {
            let p = p.to_owned();
            if loader.wants_flow() {
                if let Some(key) = host.canonical(&p) {
                    loader.set_flow_key(key);
                }
            }
            let read = host.read(&p, limit);
            loader.give(read);
        }
        loader.finish()
    }
}

//! Finding test files and what they run against: `flow:` relative to the test file (or
//! `shared:PATH` in the shared fixtures folder), and for a plain Studio flow the `functions`,
//! `env` and `subflows` the test file names.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use flowpen_flow::Flow;
use flowpen_playground::flowtest::{self, Target, TestFile, MAX_TEXT_BYTES};
use flowpen_playground::project::{
    parse_document, Document, FunctionDef, FunctionsProject, Subflow,
};

/// A test file, read.
pub(crate) struct Loaded {
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
}

impl Loaded {
    /// The target, for this thread.
    pub(crate) fn target(&self) -> Target {
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
}

/// Every `*.test.yaml` under `dir` (hidden folders, `node_modules` and `target` skipped), sorted.
pub(crate) fn find(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !(name.starts_with('.') || name == "node_modules" || name == "target") {
                find(&path, out);
            }
        } else if name.ends_with(".test.yaml") {
            out.push(path);
        }
    }
}

/// The shared fixtures folder: `FLOWPEN_SHARED`, else the first `shared` folder beside the test
/// file's folder or one of its ancestors.
fn shared_dir(from: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FLOWPEN_SHARED") {
        return Some(PathBuf::from(dir));
    }
    let start = std::fs::canonicalize(from).unwrap_or_else(|_| from.to_path_buf());
    start
        .ancestors()
        .map(|a| a.join("shared"))
        .find(|candidate| candidate.is_dir())
}

/// Where a path named in a test file is.
fn resolve(dir: &Path, name: &str) -> Result<PathBuf, String> {
    match name.strip_prefix("shared:") {
        Some(rest) => shared_dir(dir)
            .map(|shared| shared.join(rest.trim_start_matches('/')))
            .ok_or_else(|| {
                format!(
                    "`{name}` is in the shared fixtures folder, which was not found (set FLOWPEN_SHARED, or put `shared` beside the repository)"
                )
            }),
        None => Ok(dir.join(name)),
    }
}

fn read(path: &Path, limit: usize) -> Result<String, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{}: error cannot read: {e}", path.display()))?
        .len();
    if size > limit as u64 {
        return Err(format!(
            "{}: error the file has {size} bytes; at most {limit} are read",
            path.display()
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("{}: error cannot read: {e}", path.display()))
}

/// The largest flow or Function file read.
const MAX_FLOW_BYTES: usize = 16 * 1024 * 1024;

/// Reads a test file and its target. The error is `path:line:column: error …` or `path: error …`.
pub(crate) fn load(path: &Path) -> Result<Loaded, String> {
    let shown = path.display().to_string();
    let text = read(path, MAX_TEXT_BYTES)?;
    let file = flowtest::parse(&text)
        .map_err(|e| format!("{shown}:{}:{}: error {}", e.line, e.column, e.kind))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let Some(flow_name) = file.flow.clone() else {
        return Err(format!(
            "{shown}: error the test file names no `flow:` (the Studio flow or project file its cases run)"
        ));
    };
    let flow_path = resolve(dir, &flow_name).map_err(|e| format!("{shown}: error {e}"))?;
    let flow_shown = flow_path.display().to_string();
    let flow_text = read(&flow_path, MAX_FLOW_BYTES)?;
    let doc = parse_document(&flow_text).map_err(|e| {
        format!(
            "{flow_shown}:{}:{}: error {} (at {})",
            e.line, e.column, e.message, e.path
        )
    })?;
    let plain = matches!(doc, Document::Flow(_));
    let Target {
        flow: main,
        mut functions,
        subflows,
    } = Target::from_document(doc);
    let mut subflows: Vec<(String, String, Flow)> = subflows
        .into_iter()
        .map(|s| (s.name, s.sid, Rc::unwrap_or_clone(s.flow)))
        .collect();
    if plain {
        for (fn_path, file_name) in &file.functions {
            let p = resolve(dir, file_name).map_err(|e| format!("{shown}: error {e}"))?;
            functions.functions.push(FunctionDef {
                path: fn_path.clone(),
                code: read(&p, MAX_FLOW_BYTES)?,
            });
        }
        functions.env = file.env.clone();
        for (key, file_name) in &file.subflows {
            let p = resolve(dir, file_name).map_err(|e| format!("{shown}: error {e}"))?;
            let t = read(&p, MAX_FLOW_BYTES)?;
            let flow = Flow::parse(&t).map_err(|e| {
                format!(
                    "{}:{}:{}: error {} (at {})",
                    p.display(),
                    e.line,
                    e.column,
                    e.message,
                    e.path
                )
            })?;
            let sid = if key.starts_with("FW") {
                key.clone()
            } else {
                String::new()
            };
            subflows.push((key.clone(), sid, flow));
        }
    } else if !(file.functions.is_empty() && file.env.is_empty() && file.subflows.is_empty()) {
        eprintln!(
            "{shown}: note: `functions`, `env` and `subflows` are ignored: {flow_name} is a project file, which has its own"
        );
    }
    Ok(Loaded {
        path: shown,
        file,
        main,
        functions,
        subflows,
        flow_key: std::fs::canonicalize(&flow_path)
            .unwrap_or(flow_path)
            .display()
            .to_string(),
        flow_shown,
    })
}

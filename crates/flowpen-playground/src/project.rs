//! The project around the flow: its playground Functions and environment variables
//! ([`functions`]), the bundled examples ([`examples`]), and the two texts a project is stored as.
//!
//! - The **saved Functions** (localStorage, next to the flow): `{"functions": [{"path", "code"}],
//!   "env": {"NAME": "value"}}`.
//! - The **project file** (Export project; Open… reads it): `{"flowpen": 1, "flow": {…},
//!   "functions": […], "env": {…}}`. The flow inside is the lossless Studio JSON, so a project file
//!   gives back exactly the flow Export would have written.
//!
//! [`parse_document`] accepts a plain Studio flow as well as a project file, with errors that
//! point at a line and column of the text.

pub mod examples;
pub mod functions;
pub mod stubs;

use std::rc::Rc;

use flowpen_flow::json::{self, Json, Object, ParseError, Seg};
use flowpen_flow::Flow;

pub use functions::{FunctionDef, FunctionsProject};
pub use stubs::WidgetStub;

use functions::normalize_path;

/// The project file's format version (`"flowpen": 1`).
pub(crate) const VERSION: i64 = 1;

// The stored texts.

fn functions_json(project: &FunctionsProject) -> (Json, Json) {
    let functions = Json::Array(
        project
            .functions
            .iter()
            .map(|f| {
                let mut o = Object::new();
                o.set("path", Json::str(f.path.clone()));
                o.set("code", Json::str(f.code.clone()));
                Json::Object(o)
            })
            .collect(),
    );
    let mut env = Object::new();
    for (k, v) in &project.env {
        // Keep every pair, in order, even a repeated name (the object keeps duplicates).
        env.insert(env.len(), k, Json::str(v.clone()));
    }
    (functions, Json::Object(env))
}

/// The saved Functions (localStorage) as compact JSON text.
pub fn saved_text(project: &FunctionsProject) -> String {
    let (functions, env) = functions_json(project);
    let mut o = Object::new();
    o.set("functions", functions);
    o.set("env", env);
    Json::Object(o).to_compact()
}

/// Reads saved Functions (see [`saved_text`]).
pub fn parse_saved(text: &str) -> Result<FunctionsProject, ParseError> {
    let doc = json::parse(text)?;
    let Json::Object(o) = doc else {
        return Err(located(
            text,
            vec![],
            "the saved Functions are not a JSON object".into(),
        ));
    };
    read_functions(&o, &[]).map_err(|(path, message)| located(text, path, message))
}

/// A shape problem found after parsing, at the line and column of `path` in `text`.
fn located(text: &str, path: Vec<Seg>, message: String) -> ParseError {
    let (line, column) = json::locate(text, &path).unwrap_or((1, 1));
    ParseError {
        line,
        column,
        path: json::path_string(&path),
        message,
    }
}

type ShapeProblem = (Vec<Seg>, String);

/// Reads `functions` and `env` from an object found at `at`.
fn read_functions(o: &Object, at: &[Seg]) -> Result<FunctionsProject, ShapeProblem> {
    let here = |rest: &[Seg]| {
        let mut p = at.to_vec();
        p.extend_from_slice(rest);
        p
    };
    let mut project = FunctionsProject::default();
    match o.get("functions") {
        None | Some(Json::Null) => {}
        Some(Json::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at_item = [Seg::Key("functions".into()), Seg::Index(i)];
                let Json::Object(f) = item else {
                    return Err((
                        here(&at_item),
                        format!(
                            "a Function is an object with \"path\" and \"code\", found {}",
                            item.kind()
                        ),
                    ));
                };
                let text = |key: &str| -> Result<String, ShapeProblem> {
                    match f.get(key) {
                        Some(Json::String(s)) => Ok(s.clone()),
                        Some(other) => {
                            let mut p = at_item.to_vec();
                            p.push(Seg::Key(key.into()));
                            Err((
                                here(&p),
                                format!("\"{key}\" must be text, found {}", other.kind()),
                            ))
                        }
                        None => Err((here(&at_item), format!("a Function needs \"{key}\""))),
                    }
                };
                project.functions.push(FunctionDef {
                    path: normalize_path(&text("path")?),
                    code: text("code")?,
                });
            }
        }
        Some(other) => {
            return Err((
                here(&[Seg::Key("functions".into())]),
                format!("\"functions\" must be a list, found {}", other.kind()),
            ))
        }
    }
    match o.get("env") {
        None | Some(Json::Null) => {}
        Some(Json::Object(env)) => {
            for (k, v) in env.iter() {
                let value = match v {
                    Json::String(s) => s.clone(),
                    Json::Number(n) => n.as_str().to_owned(),
                    Json::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            here(&[Seg::Key("env".into()), Seg::Key(k.into())]),
                            format!("an environment variable is text, found {}", other.kind()),
                        ))
                    }
                };
                project.env.push((k.to_owned(), value));
            }
        }
        Some(other) => {
            return Err((
                here(&[Seg::Key("env".into())]),
                format!(
                    "\"env\" must be an object of names and values, found {}",
                    other.kind()
                ),
            ))
        }
    }
    Ok(project)
}

/// A subflow of the project: a Studio flow that the main flow's Run Subflow widgets run, found by
/// the SID they name (`flow_sid`).
#[derive(Clone, Debug, PartialEq)]
pub struct Subflow {
    /// What the project calls it (a tab's label; by default the flow's description).
    pub name: String,
    /// The SID Run Subflow widgets name (`FW…`); the engine also finds a subflow by `name`.
    pub sid: String,
    /// Shared: an editor and its executions hold the same flow.
    pub flow: Rc<Flow>,
}

impl Subflow {
    /// The one key a breakpoint in this subflow is kept under: its SID, or its name while it has
    /// none (the engine matches either key a Run Subflow widget finds the flow by).
    pub fn key(&self) -> &str {
        match self.sid.trim() {
            "" => self.name.trim(),
            sid => sid,
        }
    }
}

/// A whole project: the main flow, its Functions and environment variables, its subflows, its
/// flow tests (the text of a `.test.yaml` file, kept as written) and the simulator's stubs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    pub flow: Flow,
    pub functions: FunctionsProject,
    pub subflows: Vec<Subflow>,
    pub tests: String,
    pub stubs: Vec<WidgetStub>,
}

/// A project by reference (what an editor holds in several places).
#[derive(Clone, Copy, Debug)]
pub struct ProjectRef<'a> {
    pub flow: &'a Flow,
    pub functions: &'a FunctionsProject,
    pub subflows: &'a [Subflow],
    pub tests: &'a str,
    pub stubs: &'a [WidgetStub],
}

impl Project {
    /// This project by reference.
    pub fn as_ref(&self) -> ProjectRef<'_> {
        ProjectRef {
            flow: &self.flow,
            functions: &self.functions,
            subflows: &self.subflows,
            tests: &self.tests,
            stubs: &self.stubs,
        }
    }
}

/// The subflows as the engine looks them up: by SID, and by name (the name of the Run Subflow
/// widget that runs one, when the user gives the subflow that name).
pub fn engine_subflows(subflows: &[Subflow]) -> flowpen_engine::Subflows {
    let mut out = flowpen_engine::Subflows::new();
    for s in subflows {
        for key in [s.sid.trim(), s.name.trim()] {
            if !key.is_empty() {
                out.insert(key, Rc::clone(&s.flow));
            }
        }
    }
    out
}

impl<'a> ProjectRef<'a> {
    /// A project of just a flow and Functions (no subflows, no tests).
    pub fn of(flow: &'a Flow, functions: &'a FunctionsProject) -> ProjectRef<'a> {
        ProjectRef {
            flow,
            functions,
            subflows: &[],
            tests: "",
            stubs: &[],
        }
    }
}

/// The project file's JSON value: `{"flowpen": 1, "flow": {…}, "functions": […], "env": {…}}`,
/// then `"subflows": [{"name", "sid", "flow"}]`, `"tests": "…"` and `"stubs": […]` (see [`stubs`])
/// when the project has them
/// (a project without them writes exactly what earlier versions wrote).
pub(crate) fn project_json(p: ProjectRef<'_>) -> Json {
    let (functions, env) = functions_json(p.functions);
    let mut o = Object::new();
    o.set("flowpen", Json::int(VERSION));
    o.set("flow", p.flow.to_json());
    o.set("functions", functions);
    o.set("env", env);
    if !p.subflows.is_empty() {
        let subflows = p
            .subflows
            .iter()
            .map(|s| {
                let mut entry = Object::new();
                entry.set("name", Json::str(s.name.clone()));
                entry.set("sid", Json::str(s.sid.clone()));
                entry.set("flow", s.flow.to_json());
                Json::Object(entry)
            })
            .collect();
        o.set("subflows", Json::Array(subflows));
    }
    if !p.tests.is_empty() {
        o.set("tests", Json::str(p.tests));
    }
    if !p.stubs.is_empty() {
        o.set("stubs", stubs::stubs_json(p.stubs));
    }
    Json::Object(o)
}

/// The project file, pretty-printed.
pub fn project_text(p: ProjectRef<'_>) -> String {
    let mut s = project_json(p).to_pretty();
    s.push('\n');
    s
}

/// A file name for exporting `flow`, from its description (`random-number-generator.json`).
pub fn export_file_name(flow: &Flow) -> String {
    let slug: String = flow
        .description()
        .unwrap_or("flow")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{}.json", if slug.is_empty() { "flow" } else { &slug })
}

/// A file name for the project file (`random-number-generator.flowpen.json`).
pub fn project_file_name(flow: &Flow) -> String {
    let flow_name = export_file_name(flow);
    let stem = flow_name.strip_suffix(".json").unwrap_or(&flow_name);
    format!("{stem}.flowpen.json")
}

/// A file name for the project's flow tests exported for CI (`random-number-generator.test.yaml`,
/// beside the project file whose name its `flow:` gives).
pub fn test_file_name(flow: &Flow) -> String {
    let flow_name = export_file_name(flow);
    let stem = flow_name.strip_suffix(".json").unwrap_or(&flow_name);
    format!("{stem}.test.yaml")
}

/// What an opened text holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// A Studio flow (its Functions are not in it).
    Flow(Flow),
    /// A project file: the flow with its Functions, subflows and tests.
    Project(Box<Project>),
}

impl Document {
    /// The (main) flow.
    pub fn flow(&self) -> &Flow {
        match self {
            Document::Flow(flow) => flow,
            Document::Project(p) => &p.flow,
        }
    }
}

/// Whether a parsed document is a project file (an object with a `flowpen` member).
fn is_project(doc: &Json) -> bool {
    doc.as_object().is_some_and(|o| o.get("flowpen").is_some())
}

/// Reads a Studio flow or a project file. Errors carry a line, a column and a path.
pub fn parse_document(text: &str) -> Result<Document, ParseError> {
    document_from_json(json::parse(text)?, text)
}

/// [`parse_document`] of `text` already parsed into `doc` (errors still point into `text`), for
/// callers that read more from the same JSON.
pub fn document_from_json(doc: Json, text: &str) -> Result<Document, ParseError> {
    if !is_project(&doc) {
        return Flow::parse(text).map(Document::Flow);
    }
    let locate = |path: Vec<Seg>, message: String| located(text, path, message);
    let Json::Object(mut top) = doc else {
        return Err(locate(vec![], "a project file is a JSON object".into()));
    };
    match top.get("flowpen").and_then(Json::as_number_lenient) {
        Some(v) if v == VERSION as f64 => {}
        _ => {
            return Err(locate(
                vec![Seg::Key("flowpen".into())],
                format!("this Flowpen only reads project files with \"flowpen\": {VERSION}"),
            ))
        }
    }
    let functions = read_functions(&top, &[]).map_err(|(path, message)| locate(path, message))?;
    let flow = match top.remove("flow") {
        Some((_, flow)) => flow,
        None => {
            return Err(locate(
                vec![],
                "a project file has the flow under \"flow\"".into(),
            ))
        }
    };
    let flow = Flow::from_json(flow).map_err(|e| {
        let mut path = vec![Seg::Key("flow".into())];
        path.extend(e.path);
        locate(path, e.message)
    })?;
    let subflows = read_subflows(&mut top).map_err(|(path, message)| locate(path, message))?;
    let tests = match top.get("tests") {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(t)) => t.clone(),
        Some(other) => {
            return Err(locate(
                vec![Seg::Key("tests".into())],
                format!(
                    "\"tests\" is the text of a test file, found {}",
                    other.kind()
                ),
            ))
        }
    };
    let stubs = stubs::read_stubs(&top).map_err(|(path, message)| locate(path, message))?;
    Ok(Document::Project(Box::new(Project {
        flow,
        functions,
        subflows,
        tests,
        stubs,
    })))
}

/// Reads `subflows`: a list of `{"name", "sid", "flow"}`.
fn read_subflows(top: &mut Object) -> Result<Vec<Subflow>, ShapeProblem> {
    let items = match top.remove("subflows") {
        None | Some((_, Json::Null)) => return Ok(Vec::new()),
        Some((_, Json::Array(items))) => items,
        Some((_, other)) => {
            return Err((
                vec![Seg::Key("subflows".into())],
                format!("\"subflows\" must be a list, found {}", other.kind()),
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = |rest: &[Seg]| {
            let mut p = vec![Seg::Key("subflows".into()), Seg::Index(i)];
            p.extend_from_slice(rest);
            p
        };
        let Json::Object(mut entry) = item else {
            return Err((
                at(&[]),
                "a subflow is an object with \"name\", \"sid\" and \"flow\"".into(),
            ));
        };
        let text = |entry: &Object, key: &str| match entry.get(key) {
            None | Some(Json::Null) => Ok(String::new()),
            Some(Json::String(s)) => Ok(s.clone()),
            Some(other) => Err((
                at(&[Seg::Key(key.into())]),
                format!("\"{key}\" must be text, found {}", other.kind()),
            )),
        };
        let name = text(&entry, "name")?;
        let sid = text(&entry, "sid")?;
        let Some((_, flow)) = entry.remove("flow") else {
            return Err((at(&[]), "a subflow needs its \"flow\"".into()));
        };
        let flow = Flow::from_json(flow).map_err(|e| {
            let mut path = at(&[Seg::Key("flow".into())]);
            path.extend(e.path);
            (path, e.message)
        })?;
        out.push(Subflow {
            name,
            sid,
            flow: Rc::new(flow),
        });
    }
    Ok(out)
}

//! The project around the flow: its playground Functions (path and code) and environment
//! variables, the rules for Function paths, and the two texts a project is stored as.
//!
//! - The **saved Functions** (localStorage, next to the flow): `{"functions": [{"path", "code"}],
//!   "env": {"NAME": "value"}}`.
//! - The **project file** (Export project; Open… reads it): `{"flowpen": 1, "flow": {…},
//!   "functions": […], "env": {…}}`. The flow inside is the lossless Studio JSON, so a project file
//!   gives back exactly the flow Export would have written.
//!
//! Pure: no browser APIs. [`parse_document`] accepts a plain Studio flow as well as a project file,
//! with errors that point at a line and column of the text.

use flowpen_flow::json::{self, Json, Object, ParseError, Seg};
use flowpen_flow::{Flow, WidgetType};

use crate::functions::request::parse_url;
use crate::functions::{is_function_url, FunctionDef, FunctionsProject, FUNCTIONS_HOST};

/// The project file's format version (`"flowpen": 1`).
pub const VERSION: i64 = 1;

/// The longest Function path accepted.
pub const MAX_PATH: usize = 255;

/// The code of a new Function.
pub const TEMPLATE: &str = "exports.handler = function (context, event, callback) {
  // event: the Run Function widget's parameters (and the request's query and body).
  // context: this project's environment variables, PATH and DOMAIN_NAME.
  console.log('called with', event);
  return callback(null, { ok: true });
};
";

/// A Function's URL (`https://flowpen.local/random`): what a Run Function widget calls.
pub fn function_url(path: &str) -> String {
    format!("https://{FUNCTIONS_HOST}{}", normalize(path))
}

/// The path of a playground Function URL (`/random` for `https://flowpen.local/random?x=1`).
pub fn url_path(url: &str) -> Option<String> {
    if !is_function_url(url) {
        return None;
    }
    parse_url(url).map(|parts| parts.path.to_owned())
}

/// A path with exactly one leading `/`, trimmed.
pub fn normalize(path: &str) -> String {
    let p = path.trim();
    format!("/{}", p.trim_start_matches('/'))
}

/// Checks a Function path for the Function at `index` (`None`: a new one): Twilio's shape (starts
/// with `/`, letters, digits and `-` `_` `.` `~` `/`, no empty segment) and unique in the
/// project. Returns the normalized path.
pub fn check_path(
    project: &FunctionsProject,
    index: Option<usize>,
    path: &str,
) -> Result<String, String> {
    let p = normalize(path);
    if p == "/" {
        return Err("A Function needs a path, like /random.".into());
    }
    if p.len() > MAX_PATH {
        return Err(format!("A path has at most {MAX_PATH} characters."));
    }
    if let Some(c) = p
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/')))
    {
        let shown = if c == ' ' {
            "a space".to_owned()
        } else {
            format!("\"{c}\"")
        };
        return Err(format!(
            "A path may only contain letters, digits and - _ . ~ / (found {shown})."
        ));
    }
    if p.contains("//") || p.ends_with('/') {
        return Err("A path has no empty parts (no // and no / at the end).".into());
    }
    let taken = project
        .functions
        .iter()
        .enumerate()
        .any(|(i, f)| Some(i) != index && normalize(&f.path) == p);
    if taken {
        return Err(format!("Another Function already has the path {p}."));
    }
    Ok(p)
}

/// A free path for a new Function: `/function`, `/function-2`, …
pub fn new_path(project: &FunctionsProject) -> String {
    let taken = |p: &str| project.functions.iter().any(|f| normalize(&f.path) == p);
    if !taken("/function") {
        return "/function".into();
    }
    (2..)
        .map(|n| format!("/function-{n}"))
        .find(|p| !taken(p))
        .unwrap_or_default()
}

/// Adds a Function with a free path and the template code; returns its index.
pub fn add_function(project: &mut FunctionsProject) -> usize {
    let path = new_path(project);
    project.functions.push(FunctionDef {
        path,
        code: TEMPLATE.to_owned(),
    });
    project.functions.len() - 1
}

/// Renames Function `index` (see [`check_path`]).
pub fn rename(project: &mut FunctionsProject, index: usize, path: &str) -> Result<(), String> {
    let p = check_path(project, Some(index), path)?;
    match project.functions.get_mut(index) {
        Some(f) => {
            f.path = p;
            Ok(())
        }
        None => Err("No such Function.".into()),
    }
}

/// Sets the code of Function `index`; returns whether it changed.
pub fn set_code(project: &mut FunctionsProject, index: usize, code: &str) -> bool {
    match project.functions.get_mut(index) {
        Some(f) if f.code != code => {
            f.code = code.to_owned();
            true
        }
        _ => false,
    }
}

/// Removes Function `index`; returns it.
pub fn remove(project: &mut FunctionsProject, index: usize) -> Option<FunctionDef> {
    (index < project.functions.len()).then(|| project.functions.remove(index))
}

/// Which half of an environment variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvField {
    Name,
    Value,
}

/// Sets the name or value of environment variable `item`; returns whether it changed.
pub fn set_env(project: &mut FunctionsProject, item: usize, field: EnvField, text: &str) -> bool {
    let Some((name, value)) = project.env.get_mut(item) else {
        return false;
    };
    let slot = match field {
        EnvField::Name => name,
        EnvField::Value => value,
    };
    if slot == text {
        return false;
    }
    *slot = text.to_owned();
    true
}

/// A problem with an environment variable's name, if any (`context.NAME` must be usable).
pub fn env_name_problem(project: &FunctionsProject, item: usize) -> Option<String> {
    let (name, _) = project.env.get(item)?;
    if name.is_empty() {
        return Some("Give the variable a name.".into());
    }
    let ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        return Some("Use letters, digits and _ (not first a digit), like API_KEY.".into());
    }
    if project.env[..item].iter().any(|(n, _)| n == name) {
        return Some(format!(
            "{name} is set twice; the later value is the one Functions see."
        ));
    }
    None
}

/// The Functions of the project that a flow's Run Function widgets call, in call order.
pub fn called_paths(flow: &Flow) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in flow
        .states
        .iter()
        .filter(|s| s.kind == WidgetType::RunFunction)
    {
        if let Some(p) = s.prop_str("url").and_then(url_path) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Paths that a flow calls on `flowpen.local` but that the project does not have.
pub fn missing_paths(flow: &Flow, project: &FunctionsProject) -> Vec<String> {
    called_paths(flow)
        .into_iter()
        .filter(|p| !project.functions.iter().any(|f| normalize(&f.path) == *p))
        .collect()
}

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
pub fn parse_saved(text: &str) -> Result<FunctionsProject, String> {
    let doc = json::parse(text).map_err(|e| e.to_string())?;
    let Json::Object(o) = doc else {
        return Err("the saved Functions are not a JSON object".into());
    };
    read_functions(&o, &[])
        .map_err(|(path, message)| format!("{}: {message}", json::path_string(&path)))
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
                    path: normalize(&text("path")?),
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

/// The project file's JSON value: `{"flowpen": 1, "flow": {…}, "functions": […], "env": {…}}`.
pub fn project_json(flow: &Flow, project: &FunctionsProject) -> Json {
    let (functions, env) = functions_json(project);
    let mut o = Object::new();
    o.set("flowpen", Json::int(VERSION));
    o.set("flow", flow.to_json());
    o.set("functions", functions);
    o.set("env", env);
    Json::Object(o)
}

/// The project file: the flow, its Functions and environment variables, pretty-printed.
pub fn project_text(flow: &Flow, project: &FunctionsProject) -> String {
    let mut s = project_json(flow, project).to_pretty();
    s.push('\n');
    s
}

/// A file name for the project file (`random-number-generator.flowpen.json`).
pub fn project_file_name(flow: &Flow) -> String {
    let flow_name = crate::editor::export_file_name(flow);
    let stem = flow_name.strip_suffix(".json").unwrap_or(&flow_name);
    format!("{stem}.flowpen.json")
}

/// What an opened text holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// A Studio flow (its Functions are not in it).
    Flow(Flow),
    /// A project file: the flow with its Functions.
    Project(Flow, FunctionsProject),
}

/// Whether a parsed document is a project file (an object with a `flowpen` member).
fn is_project(doc: &Json) -> bool {
    doc.as_object().is_some_and(|o| o.get("flowpen").is_some())
}

/// Reads a Studio flow or a project file. Errors carry a line, a column and a path.
pub fn parse_document(text: &str) -> Result<Document, ParseError> {
    let doc = json::parse(text)?;
    if !is_project(&doc) {
        return Flow::parse(text).map(Document::Flow);
    }
    let locate = |path: Vec<Seg>, message: String| {
        let (line, column) = json::locate(text, &path).unwrap_or((1, 1));
        ParseError {
            line,
            column,
            path: json::path_string(&path),
            message,
        }
    };
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
    let project = read_functions(&top, &[]).map_err(|(path, message)| locate(path, message))?;
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
    Ok(Document::Project(flow, project))
}

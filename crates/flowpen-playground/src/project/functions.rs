//! The project's Functions and environment variables: what a Function is (a path and its code),
//! the reserved host that addresses them (`https://flowpen.local/PATH`), Twilio's rules for paths
//! and the operations the Functions panel performs. This module owns those rules; the Functions
//! runtime ([`crate::functions`]) and the simulator only read them.

use std::fmt;

use flowpen_flow::{Flow, WidgetType};

use crate::url::parse_url;

/// The reserved host of in-browser Functions; `context.DOMAIN_NAME` is this name.
pub(crate) const FUNCTIONS_HOST: &str = "flowpen.local";

/// The longest Function path accepted.
pub(crate) const MAX_PATH: usize = 255;

/// The code of a new Function.
pub const TEMPLATE: &str = "exports.handler = function (context, event, callback) {
  // event: the Run Function widget's parameters (and the request's query and body).
  // context: this project's environment variables, PATH and DOMAIN_NAME.
  console.log('called with', event);
  return callback(null, { ok: true });
};
";

/// One Function of the playground: its URL path (like `/random`) and its JavaScript source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionDef {
    /// The URL path; a missing leading `/` is added (`random` serves `/random`).
    pub path: String,
    /// The CommonJS source that sets `exports.handler`.
    pub code: String,
}

/// The Functions of a playground project and its environment variables (`context.NAME`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionsProject {
    /// The Functions; when two have the same path, the first one serves it.
    pub functions: Vec<FunctionDef>,
    /// Environment variables in order; they are spread over `context` after `PATH` and
    /// `DOMAIN_NAME`, so they may override them (as twilio-run's `.env` does).
    pub env: Vec<(String, String)>,
}

impl FunctionsProject {
    /// The Function serving the URL path `path` (the first one whose normalized path it is), if
    /// any. `path` is compared as given, as a router compares a request's path.
    pub fn find(&self, path: &str) -> Option<&FunctionDef> {
        self.functions
            .iter()
            .find(|f| normalize_path(&f.path) == path)
    }
}

/// Whether `url` addresses a project Function (`http(s)://flowpen.local/…`).
pub(crate) fn is_function_url(url: &str) -> bool {
    parse_url(url).is_some_and(|parts| parts.host.eq_ignore_ascii_case(FUNCTIONS_HOST))
}

/// A Function's URL (`https://flowpen.local/random`): what a Run Function widget calls.
pub fn function_url(path: &str) -> String {
    format!("https://{FUNCTIONS_HOST}{}", normalize_path(path))
}

/// The path of a Function URL (`/random` for `https://flowpen.local/random?x=1`).
pub fn url_path(url: &str) -> Option<String> {
    if !is_function_url(url) {
        return None;
    }
    parse_url(url).map(|parts| parts.path.to_owned())
}

/// A Function path as it is stored and compared: trimmed, with exactly one leading `/`.
pub fn normalize_path(path: &str) -> String {
    let p = path.trim();
    format!("/{}", p.trim_start_matches('/'))
}

/// Why a Function path was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// Nothing but `/`.
    Empty,
    /// Longer than [`MAX_PATH`].
    TooLong,
    /// A character Twilio does not allow in a path.
    BadChar(char),
    /// `//` or a trailing `/`.
    EmptySegment,
    /// Another Function has this (normalized) path.
    Taken(String),
    /// No Function at this index.
    NoSuchFunction(usize),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => f.write_str("A Function needs a path, like /random."),
            PathError::TooLong => write!(f, "A path has at most {MAX_PATH} characters."),
            PathError::BadChar(c) => {
                let shown = if *c == ' ' {
                    "a space".to_owned()
                } else {
                    format!("\"{c}\"")
                };
                write!(
                    f,
                    "A path may only contain letters, digits and - _ . ~ / (found {shown})."
                )
            }
            PathError::EmptySegment => {
                f.write_str("A path has no empty parts (no // and no / at the end).")
            }
            PathError::Taken(p) => write!(f, "Another Function already has the path {p}."),
            PathError::NoSuchFunction(_) => f.write_str("No such Function."),
        }
    }
}

impl std::error::Error for PathError {}

/// Checks a Function path for the Function at `index` (`None`: a new one): Twilio's shape (starts
/// with `/`, letters, digits and `-` `_` `.` `~` `/`, no empty segment) and unique in the
/// project. Returns the normalized path.
pub fn check_path(
    project: &FunctionsProject,
    index: Option<usize>,
    path: &str,
) -> Result<String, PathError> {
    let p = normalize_path(path);
    if p == "/" {
        return Err(PathError::Empty);
    }
    if p.len() > MAX_PATH {
        return Err(PathError::TooLong);
    }
    if let Some(c) = p
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/')))
    {
        return Err(PathError::BadChar(c));
    }
    if p.contains("//") || p.ends_with('/') {
        return Err(PathError::EmptySegment);
    }
    let taken = project
        .functions
        .iter()
        .enumerate()
        .any(|(i, f)| Some(i) != index && normalize_path(&f.path) == p);
    if taken {
        return Err(PathError::Taken(p));
    }
    Ok(p)
}

/// A free path for a new Function: `/function`, `/function-2`, …
pub fn new_path(project: &FunctionsProject) -> String {
    let taken = |p: &str| {
        project
            .functions
            .iter()
            .any(|f| normalize_path(&f.path) == p)
    };
    if !taken("/function") {
        return "/function".into();
    }
    (2..)
        .map(|n| format!("/function-{n}"))
        .find(|p| !taken(p))
        .unwrap_or_default()
}

/// Adds a Function with a free path and the template code; returns its index.
pub(crate) fn add_function(project: &mut FunctionsProject) -> usize {
    let path = new_path(project);
    project.functions.push(FunctionDef {
        path,
        code: TEMPLATE.to_owned(),
    });
    project.functions.len() - 1
}

/// Renames Function `index` (see [`check_path`]).
pub fn rename(project: &mut FunctionsProject, index: usize, path: &str) -> Result<(), PathError> {
    let p = check_path(project, Some(index), path)?;
    match project.functions.get_mut(index) {
        Some(f) => {
            f.path = p;
            Ok(())
        }
        None => Err(PathError::NoSuchFunction(index)),
    }
}

/// Sets the code of Function `index`; returns whether it changed.
pub(crate) fn set_code(project: &mut FunctionsProject, index: usize, code: &str) -> bool {
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

/// A problem with an environment variable's name (`context.NAME` must be usable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvProblem {
    /// The name is empty.
    NoName,
    /// Not letters, digits and `_`, or it starts with a digit.
    BadName,
    /// An earlier variable has the same name (the later value wins).
    Repeated(String),
}

impl fmt::Display for EnvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvProblem::NoName => f.write_str("Give the variable a name."),
            EnvProblem::BadName => {
                f.write_str("Use letters, digits and _ (not first a digit), like API_KEY.")
            }
            EnvProblem::Repeated(name) => write!(
                f,
                "{name} is set twice; the later value is the one Functions see."
            ),
        }
    }
}

/// A problem with the name of environment variable `item`, if any.
pub fn env_name_problem(project: &FunctionsProject, item: usize) -> Option<EnvProblem> {
    let (name, _) = project.env.get(item)?;
    if name.is_empty() {
        return Some(EnvProblem::NoName);
    }
    let ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        return Some(EnvProblem::BadName);
    }
    if project.env[..item].iter().any(|(n, _)| n == name) {
        return Some(EnvProblem::Repeated(name.clone()));
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
        .filter(|p| project.find(p).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{is_function_url, normalize_path};

    #[test]
    fn function_urls_are_on_the_reserved_host() {
        assert!(is_function_url("https://flowpen.local/random"));
        assert!(is_function_url("http://flowpen.local/random?min=1"));
        assert!(is_function_url("HTTPS://Flowpen.Local/random"));
        assert!(is_function_url("https://flowpen.local:8443/random"));
        assert!(is_function_url("https://flowpen.local"));
        assert!(!is_function_url("https://example.twil.io/random"));
        assert!(!is_function_url("https://flowpen.local.example.com/random"));
        assert!(!is_function_url("ftp://flowpen.local/random"));
        assert!(!is_function_url("/random"));
        assert!(!is_function_url(""));
    }

    #[test]
    fn paths_have_one_leading_slash() {
        assert_eq!(normalize_path("random"), "/random");
        assert_eq!(normalize_path(" /random "), "/random");
        assert_eq!(normalize_path("//random"), "/random");
        assert_eq!(normalize_path(""), "/");
    }
}

//! The example flows shipped with the app (`www/examples/*.json`) and their Functions
//! (`www/examples/functions/*.js`), compiled in.

use super::functions::{called_paths, FunctionDef, FunctionsProject};

/// An example: its file name, a title for the menu, the Flow JSON, and the playground Functions
/// (path, JavaScript) and environment variables its Run Function widgets need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub file: &'static str,
    pub title: &'static str,
    pub json: &'static str,
    pub functions: &'static [(&'static str, &'static str)],
    pub env: &'static [(&'static str, &'static str)],
    /// Its flow tests (`www/examples/NAME.test.yaml`, also run by `flowpen test`): the Tests
    /// panel shows them when the example opens.
    pub tests: &'static str,
}

impl Example {
    /// The example's Functions, environment variables and flow tests, as the editor opens them.
    pub fn parts(&self) -> crate::editor::project::ProjectParts {
        let mut parts = crate::editor::project::ProjectParts::functions(self.project());
        parts.tests = std::rc::Rc::new(self.tests.to_owned());
        parts
    }

    /// The example's Functions and environment variables as a project.
    pub fn project(&self) -> FunctionsProject {
        FunctionsProject {
            functions: self
                .functions
                .iter()
                .map(|(path, code)| FunctionDef {
                    path: (*path).to_owned(),
                    code: (*code).to_owned(),
                })
                .collect(),
            env: self
                .env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }
}

/// `/random`: the seed's random number handler.
pub const RANDOM_JS: &str = include_str!("../../../../www/examples/functions/random.js");
/// `/get-doge`: the quickstart's dog breed Function, answering from a built-in list.
pub const GET_DOGE_JS: &str = include_str!("../../../../www/examples/functions/get-doge.js");
/// `/flaky`: fails until the third attempt.
pub(crate) const FLAKY_JS: &str = include_str!("../../../../www/examples/functions/flaky.js");

/// Every example, the one opened on first load first.
pub const EXAMPLES: &[Example] = &[
    Example {
        file: "random-number.json",
        title: "Random number (Run Function)",
        json: include_str!("../../../../www/examples/random-number.json"),
        functions: &[("/random", RANDOM_JS)],
        env: &[],
        tests: include_str!("../../../../www/examples/random-number.test.yaml"),
    },
    Example {
        file: "dog-breed.json",
        title: "Dog breed pictures (Run Function)",
        json: include_str!("../../../../www/examples/dog-breed.json"),
        functions: &[("/get-doge", GET_DOGE_JS)],
        env: &[],
        tests: include_str!("../../../../www/examples/dog-breed.test.yaml"),
    },
    Example {
        file: "retry-counter.json",
        title: "Retry counter (Set Variables + Split)",
        json: include_str!("../../../../www/examples/retry-counter.json"),
        functions: &[("/flaky", FLAKY_JS)],
        env: &[("SUCCEEDS_AT", "3")],
        tests: include_str!("../../../../www/examples/retry-counter.test.yaml"),
    },
];

/// The flow opened when nothing was saved.
pub const FIRST: Example = EXAMPLES[0];

/// The example with this file name.
pub fn example(file: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file == file)
}

/// The bundled Functions that a flow calls (by path), for an autosave from before the project
/// had Functions: a saved example keeps working.
pub fn functions_called_by(flow: &flowpen_flow::Flow) -> FunctionsProject {
    let mut out = FunctionsProject::default();
    for path in called_paths(flow) {
        let found = EXAMPLES
            .iter()
            .find(|ex| ex.functions.iter().any(|(p, _)| *p == path));
        if let Some(ex) = found {
            let project = ex.project();
            out.functions
                .extend(project.functions.into_iter().filter(|f| f.path == path));
            for (k, v) in project.env {
                if !out.env.iter().any(|(n, _)| *n == k) {
                    out.env.push((k, v));
                }
            }
        }
    }
    out
}

//! Share links, natively: the codec (base64url, the preset dictionary, bounded inflate), round
//! trips of every example and corpus flow through format 2 (with Functions, subflows and tests),
//! golden links of both formats, the lengths the issue asks for, a specific error for each kind of
//! broken link (and never a panic), and the reducer opening links.
#![cfg(not(target_arch = "wasm32"))]

mod broken;
mod codec;
mod links;
mod recent;
mod reducer;
mod trust;

use flowpen_flow::Flow;
use flowpen_playground::project::{Document, Project, ProjectRef};
use flowpen_playground::share::{self, LinkKind, Options};

/// The page the links in these tests start with.
pub const PAGE: &str = "http://127.0.0.1:8080/";

/// The project a fragment opens; panics with `what` when it does not open as a project.
#[track_caller]
pub fn opened(what: &str, fragment: &str) -> Project {
    match share::decode(fragment) {
        Ok(shared) => match shared.document {
            Document::Project(p) => *p,
            Document::Flow(_) => panic!("{what}: a plain flow"),
        },
        Err(e) => panic!("{what}: {e}"),
    }
}

/// A format 2 link to `project` (values included when `values`).
#[track_caller]
pub fn fragment(project: ProjectRef<'_>, kind: LinkKind, values: bool) -> String {
    share::fragment(
        project,
        kind,
        Options {
            include_env_values: values,
        },
    )
    .expect("not too large")
}

/// Checks that `project` comes back exactly (flow text, Functions, subflows, tests).
#[track_caller]
pub fn assert_same(what: &str, got: &Project, want: ProjectRef<'_>) {
    assert_eq!(
        got.flow.to_pretty_string(),
        want.flow.to_pretty_string(),
        "{what}: flow"
    );
    assert_eq!(&got.functions, want.functions, "{what}: Functions");
    assert_eq!(got.subflows.len(), want.subflows.len(), "{what}: subflows");
    for (a, b) in got.subflows.iter().zip(want.subflows) {
        assert_eq!((&a.name, &a.sid), (&b.name, &b.sid), "{what}: subflow");
        assert_eq!(
            a.flow.to_pretty_string(),
            b.flow.to_pretty_string(),
            "{what}: subflow"
        );
    }
    assert_eq!(got.tests, want.tests, "{what}: tests");
    assert_eq!(got.stubs, want.stubs, "{what}: stubs");
}

/// A flow from text.
pub fn flow(text: &str) -> Flow {
    Flow::parse(text).expect("flow")
}

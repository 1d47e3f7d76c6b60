//! `make bench` (its share links section): the length of share links for the three examples, the
//! median corpus flow and corpus #26, in format 1 (base64url of the compact project file) and
//! format 2 (packed, deflated with the dictionary), against the page `http://127.0.0.1:8080/`.
//! It also writes each compact project file (the text format 1 encodes) to `target/bench-share/`
//! with `lengths.json`, for `tests/bench/share.mjs`, which adds lz-string's
//! `compressToEncodedURIComponent` on the same text and prints the table.
//!
//! Usage: `cargo run --profile bench -p flowpen-playground --example share_lengths [-- <shared dir>]`.

use std::path::PathBuf;

use flowpen_flow::json::{Json, Object};
use flowpen_flow::Flow;
use flowpen_playground::project::examples::EXAMPLES;
use flowpen_playground::project::{FunctionsProject, ProjectRef};
use flowpen_playground::share::{self, LinkKind, Options};

const PAGE: &str = "http://127.0.0.1:8080/";

fn main() {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| flowpen_testkit::workspace_root().join("../shared"));
    let out = flowpen_testkit::workspace_root().join("target/bench-share");
    std::fs::create_dir_all(&out).expect("target/bench-share");
    let mut cases: Vec<(String, String, Flow, FunctionsProject)> = EXAMPLES
        .iter()
        .map(|ex| {
            let name = format!("example {}", ex.file.trim_end_matches(".json"));
            let flow = Flow::parse(ex.json).expect("example");
            (name, ex.file.to_owned(), flow, ex.project())
        })
        .collect();
    let dir = shared.join("fixtures/studio-flows");
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for path in files {
                let file = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let text = std::fs::read_to_string(&path).expect("corpus file");
                let flow = Flow::parse(&text).expect("corpus flow");
                cases.push((
                    format!("corpus {file}"),
                    file,
                    flow,
                    FunctionsProject::default(),
                ));
            }
        }
        Err(e) => eprintln!("skipping the corpus: {e} ({})", dir.display()),
    }
    let mut list = Vec::new();
    for (name, file, flow, functions) in &cases {
        let project = ProjectRef::of(flow, functions);
        let text = flowpen_playground::project::project_text(project);
        let compact = flowpen_flow::json::parse(&text)
            .expect("project")
            .to_compact();
        let text_file = format!("{}.txt", file.trim_end_matches(".json"));
        std::fs::write(out.join(&text_file), &compact).expect("write");
        let v1 = share::link(PAGE, &share::fragment_v1(project)).len();
        let v2 = share::link(
            PAGE,
            &share::fragment(project, LinkKind::Edit, Options::default()).expect("fits"),
        )
        .len();
        let mut o = Object::new();
        o.set("name", Json::str(name.clone()));
        o.set("text", Json::str(text_file));
        o.set("bytes", Json::int(compact.len() as i64));
        o.set("v1", Json::int(v1 as i64));
        o.set("v2", Json::int(v2 as i64));
        list.push(Json::Object(o));
    }
    std::fs::write(out.join("lengths.json"), Json::Array(list).to_pretty()).expect("write");
    println!("wrote {} projects to {}", cases.len(), out.display());
}

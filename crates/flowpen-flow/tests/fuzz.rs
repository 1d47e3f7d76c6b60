//! No input panics: 100,000+ mutated corpus files, structurally mutated flows and arbitrary JSON go
//! through import, validation, export and edits. Deterministic (a seeded generator), so a failure
//! reproduces; `FUZZ_ITERATIONS=N` runs more (or fewer) cases.

use flowpen_flow::edit;
use flowpen_flow::json::{self, Json, Object};
use flowpen_flow::{validate, Flow, Offset, WidgetType};
use flowpen_testkit::{corpus, Rng};

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "\\",
    "null",
    "true",
    "-",
    "1e999",
    "-0.0e-5",
    "\\u",
    "\\ud800",
    "\u{e9}",
    "\u{1F600}",
    "\u{0}",
    "\n",
    "{{",
    "}}",
    "{%",
    "%}",
    "\"next\":\"x\"",
    "\"type\":\"trigger\"",
    "{{widgets.",
    "{% for i in (1..99999) %}",
    "{% if %}",
    "\"states\":[]",
    "[[[[[[[[",
];

fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 => {
                if at < b.len() {
                    b[at] = rng.next_u64() as u8;
                }
            }
            1 => {
                let end = (at + rng.below(64)).min(b.len());
                b.drain(at..end);
            }
            2 => {
                let t = rng.pick(TOKENS).as_bytes();
                b.splice(at..at, t.iter().copied());
            }
            3 => {
                let end = (at + rng.below(200)).min(b.len());
                let chunk = b[at..end].to_vec();
                let to = rng.below(b.len() + 1);
                b.splice(to..to, chunk);
            }
            4 => b.truncate(at),
            _ => {
                // Swap a quote for something else: breaks strings in interesting ways.
                if let Some(q) = b[at.min(b.len())..].iter().position(|&c| c == b'"') {
                    let i = at + q;
                    b[i] = *rng.pick(b"'`{}[]:,\\x");
                }
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn random_json(rng: &mut Rng, depth: usize) -> Json {
    let leaf = depth == 0 || rng.below(3) == 0;
    match if leaf { rng.below(5) } else { 5 + rng.below(2) } {
        0 => Json::Null,
        1 => Json::Bool(rng.below(2) == 0),
        2 => Json::int(rng.next_u64() as i64 >> rng.below(63)),
        3 => Json::str(*rng.pick(&[
            "",
            "Trigger",
            "x",
            "{{widgets.x.y}}",
            "{% if a %}",
            "match",
            "next",
            "é😀",
            "3600",
        ])),
        4 => Json::str(*rng.pick(&[
            "send-message",
            "split-based-on",
            "trigger",
            "run-function",
            "weird",
        ])),
        5 => Json::Array(
            (0..rng.below(4))
                .map(|_| random_json(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "name",
                "type",
                "transitions",
                "properties",
                "event",
                "next",
                "conditions",
                "value",
                "offset",
                "body",
                "states",
                "initial_state",
                "key",
                "variables",
                "parameters",
                "input",
                "arguments",
            ];
            let mut o = Object::new();
            for _ in 0..rng.below(5) {
                let key = *rng.pick(&keys);
                o.set(key, random_json(rng, depth - 1));
            }
            Json::Object(o)
        }
    }
}

/// Replaces a random node of `doc` with random JSON.
fn mutate_tree(rng: &mut Rng, doc: &mut Json, depth: usize) {
    let replace_here = depth > 6 || rng.below(8) == 0;
    let children: Option<Vec<&mut Json>> = match doc {
        Json::Array(a) if !a.is_empty() => Some(a.iter_mut().collect()),
        Json::Object(o) if !o.is_empty() => Some(o.iter_mut().map(|(_, v)| v).collect()),
        _ => None,
    };
    match children {
        Some(mut c) if !replace_here => {
            let i = rng.below(c.len());
            mutate_tree(rng, c.swap_remove(i), depth + 1);
        }
        _ => *doc = random_json(rng, 3),
    }
}

/// Everything the editor and CLI do with an imported flow; must never panic.
fn exercise(flow: &Flow) {
    let _ = validate(flow);
    let text = flow.to_pretty_string();
    let again = Flow::parse(&text).expect("an export always re-imports");
    assert!(
        again.to_json() == flow.to_json(),
        "export then import is lossless:\n{text}"
    );
    let mut f = flow.clone();
    if !f.states.is_empty() {
        let i = f.states.len() / 2;
        for op in [
            edit::rename(&f, i, "renamed"),
            edit::delete(&f, &[i]),
            edit::move_widget(&f, i, Offset { x: 1.0, y: 2.0 }),
            edit::connect(&f, i, "next", Some("Trigger")),
            edit::list_insert(&f, i, "parameters", 3, edit::key_value("a", "b")),
            edit::move_condition(&f, i, 0, 1),
        ]
        .into_iter()
        .flatten()
        {
            let before = f.clone();
            let inverse = edit::apply(&mut f, op).expect("a built edit applies");
            edit::apply(&mut f, inverse).expect("its inverse applies");
            assert!(
                f == before,
                "op + inverse = identity on:\n{}",
                before.to_pretty_string()
            );
        }
    }
    let op = edit::add_widget(&f, WidgetType::SplitBasedOn, Offset::default());
    let _ = edit::apply(&mut f, op);
}

#[test]
fn no_input_panics() {
    let iterations: usize = std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let Some(files) = corpus("no_input_panics") else {
        return;
    };
    let docs: Vec<Json> = files.iter().map(|(_, t)| json::parse(t).unwrap()).collect();
    let mut rng = Rng(0x5EED_F10E_u64);
    let (mut imported, mut rejected) = (0usize, 0usize);
    for n in 0..iterations {
        let result = match n % 4 {
            // Byte-level mutations of real exports.
            0 | 1 => {
                let text = rng_file(&mut rng, &files);
                Flow::parse(&mutate_text(&mut rng, &text))
            }
            // Structural mutations: real flows with a random node replaced.
            2 => {
                let mut doc = rng.pick(&docs).clone();
                mutate_tree(&mut rng, &mut doc, 0);
                Flow::parse(&doc.to_pretty())
            }
            // Arbitrary JSON.
            _ => Flow::parse(&random_json(&mut rng, 5).to_compact()),
        };
        match result {
            Ok(flow) => {
                imported += 1;
                exercise(&flow);
            }
            Err(e) => {
                rejected += 1;
                assert!(
                    e.line >= 1 && e.column >= 1 && e.path.starts_with('$'),
                    "{e:?}"
                );
            }
        }
    }
    println!("fuzz: {iterations} inputs, {imported} imported and exercised, {rejected} rejected with an error");
    assert_eq!(imported + rejected, iterations);
    assert!(
        imported > iterations / 10 && rejected > iterations / 10,
        "the mix covers both paths"
    );
}

fn rng_file(rng: &mut Rng, files: &[(String, String)]) -> String {
    // Prefer the smaller files: same coverage of the grammar, far less time.
    let (_, text) = rng.pick(files);
    if text.len() > 30_000 {
        text[..text.len().min(30_000)].to_owned()
    } else {
        text.clone()
    }
}

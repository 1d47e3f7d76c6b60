//! Every Liquid template in the Studio flow corpus (`../shared/fixtures/studio-flows`) parses in
//! Studio mode and renders against an empty context (lenient lookups: nothing has run yet).

use flowpen_liquid::{ErrorKind, Liquid};
use serde_json::Value;

/// Corpus templates that are broken as written, with why: they must stay syntax errors.
const BROKEN: &[(&str, &str)] = &[(
    "{{flow.variables.reservation_id",
    "#08 cancel_reservation passes an output tag that is never closed (a bug in that flow)",
)];

/// Every string in a JSON document that contains Liquid markup.
fn templates(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.contains("{{") || s.contains("{%") => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|x| templates(x, out)),
        Value::Object(map) => map.values().for_each(|x| templates(x, out)),
        _ => {}
    }
}

#[test]
fn corpus_templates_parse_and_render_in_studio_mode() {
    let Some(corpus) = flowpen_testkit::corpus("corpus_templates_parse_and_render_in_studio_mode")
    else {
        return;
    };
    let liquid = Liquid::studio();
    let empty = serde_json::json!({"flow": {}, "trigger": {}, "widgets": {}, "contact": {}});
    let mut count = 0;
    let mut failures = Vec::new();
    for (file, text) in &corpus {
        let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut found = Vec::new();
        templates(&doc, &mut found);
        for t in found {
            count += 1;
            let res = liquid.render(&t, &empty, 1_704_220_200_000);
            match (res, BROKEN.iter().find(|(b, _)| *b == t)) {
                (Ok(_), None) => {}
                (Err(e), Some(_)) if e.kind == ErrorKind::Syntax => {}
                (Ok(_), Some((_, why))) => {
                    failures.push(format!("{file}: renders although broken ({why})"))
                }
                (Err(e), _) => failures.push(format!("{file}: {e}\n  {t:?}")),
            }
        }
    }
    assert!(
        count > 300,
        "expected the corpus's templates, found {count}"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} corpus templates failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

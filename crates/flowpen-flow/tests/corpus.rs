//! The 39 real Studio exports in `../shared/fixtures/studio-flows`: every one imports, exports to an
//! equal JSON value with the same key order (byte-for-byte after normalising whitespace).

use flowpen_flow::{json, Flow};
use flowpen_testkit::corpus;

/// The text with whitespace outside string literals removed.
fn strip_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut in_str, mut escaped) = (false, false);
    for c in s.chars() {
        if in_str {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
        } else if c == '"' {
            in_str = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[test]
fn every_corpus_flow_round_trips() {
    let Some(files) = corpus("every_corpus_flow_round_trips") else {
        return;
    };
    assert_eq!(files.len(), 39, "the corpus has 39 flows");
    let mut exact = 0;
    for (name, text) in &files {
        let flow = Flow::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let value = json::parse(text).unwrap();
        // Same value, same key order at every level (Object equality is order-sensitive).
        assert_eq!(flow.to_json(), value, "{name}: exported value differs");
        let out = flow.to_pretty_string();
        assert_eq!(
            strip_ws(&out),
            strip_ws(text),
            "{name}: export differs beyond whitespace"
        );
        // Re-import of the export is a fixed point.
        assert_eq!(
            Flow::parse(&out).unwrap().to_pretty_string(),
            out,
            "{name}: not a fixed point"
        );
        if out.trim_end() == text.trim_end() {
            exact += 1;
        }
    }
    // Files written by Studio's "Export JSON" (2-space indent) come back byte-for-byte.
    println!(
        "corpus: {exact} of {} files round-trip byte-for-byte (the rest differ in indentation)",
        files.len()
    );
    assert!(exact >= 20, "only {exact} files round-trip exactly");
}

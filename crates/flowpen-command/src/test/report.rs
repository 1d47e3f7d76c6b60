//! What `flowpen test` prints: one line per case and, for a failure, the step that differed with
//! an expected/actual diff and the transcript up to it; then `N passed, N failed`. Or the same as
//! JSON (`--json`); a JUnit XML file (`--junit FILE`); coverage per flow (`--coverage`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use flowpen_playground::flowtest::{Coverage, FlowCoverage};
use serde_json::{json, Value};

use super::{FileEntry, Options, Ran};

/// The transcript lines shown before a failure, at most.
const TRANSCRIPT_LINES: usize = 16;

/// What `flowpen test` prints on standard output, the JUnit XML it writes (`--junit FILE`), and
/// whether anything failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub stdout: String,
    /// (the file to write, the XML)
    pub junit: Option<(String, String)>,
    pub failed: bool,
}

/// The report of a run: the text (or `--json`), with coverage when asked, and the JUnit XML.
pub fn report(files: &[FileEntry], results: &[Ran], o: &Options) -> Report {
    let passed = results.iter().filter(|r| r.result.passed()).count();
    let failed = results.len() - passed + files.iter().filter(|f| f.is_err()).count();
    let coverage = o.coverage.then(|| coverage(files, results));
    let stdout = if o.json {
        let mut s = serde_json::to_string_pretty(&as_json_with(
            files,
            results,
            passed,
            failed,
            coverage.as_ref(),
        ))
        .unwrap_or_default();
        s.push('\n');
        s
    } else {
        let mut s = as_text(files, results);
        if let Some(c) = &coverage {
            s.push_str(&coverage_text(c));
        }
        let _ = writeln!(s, "{passed} passed, {failed} failed");
        s
    };
    Report {
        stdout,
        junit: o
            .junit
            .as_ref()
            .map(|path| (path.clone(), junit(files, results))),
        failed: failed > 0,
    }
}

/// The results as `flowpen test --json` prints them (with coverage when asked): the npm
/// package's `runTests` returns this.
pub fn as_json(files: &[FileEntry], results: &[Ran], coverage: bool) -> Value {
    let passed = results.iter().filter(|r| r.result.passed()).count();
    let failed = results.len() - passed + files.iter().filter(|f| f.is_err()).count();
    let c = coverage.then(|| self::coverage(files, results));
    as_json_with(files, results, passed, failed, c.as_ref())
}

fn as_text(files: &[FileEntry], results: &[Ran]) -> String {
    let mut out = String::new();
    for (f, entry) in files.iter().enumerate() {
        match entry {
            Err((_, message)) => {
                let _ = writeln!(out, "ERROR {message}");
            }
            Ok(loaded) => {
                for ran in results.iter().filter(|r| r.file == f) {
                    let r = &ran.result;
                    match &r.failure {
                        None => {
                            let _ = writeln!(out, "ok    {} › {}", loaded.path, r.name);
                        }
                        Some(failure) => {
                            let _ = writeln!(out, "FAIL  {} › {}", loaded.path, r.name);
                            let _ = writeln!(out, "      {failure}");
                            if let Some((want, got)) = failure.diff() {
                                let _ = writeln!(out, "      - expected: {want}");
                                let _ = writeln!(out, "      + actual:   {got}");
                            }
                            let shown = r.transcript.len().saturating_sub(TRANSCRIPT_LINES);
                            if !r.transcript.is_empty() {
                                let _ = writeln!(out, "      transcript:");
                                if shown > 0 {
                                    let _ = writeln!(out, "        … {shown} earlier lines");
                                }
                                for line in &r.transcript[shown..] {
                                    let _ = writeln!(out, "        {line}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Coverage per flow file (several test files may run the same flow).
fn coverage(files: &[FileEntry], results: &[Ran]) -> Vec<(String, Coverage)> {
    let mut by_flow: BTreeMap<String, (String, Coverage)> = BTreeMap::new();
    for (f, entry) in files.iter().enumerate() {
        let Ok(loaded) = entry else { continue };
        let target = loaded.target();
        let (_, cov) = by_flow
            .entry(loaded.flow_key.clone())
            .or_insert_with(|| (loaded.flow_shown.clone(), Coverage::new(&target)));
        for ran in results.iter().filter(|r| r.file == f) {
            cov.add(&target, &ran.result);
        }
    }
    by_flow.into_values().collect()
}

fn percent((hit, all): (usize, usize)) -> String {
    match (hit * 100).checked_div(all) {
        Some(p) => format!("{p}%"),
        None => "100%".into(),
    }
}

fn flow_text(out: &mut String, label: &str, f: &FlowCoverage) {
    let w = f.widget_counts();
    let t = f.transition_counts();
    let _ = writeln!(out, "  {label}");
    let _ = writeln!(out, "    widgets      {}/{} ({})", w.0, w.1, percent(w));
    let unreached: Vec<&str> = f.unreached().map(|w| w.name.as_str()).collect();
    if !unreached.is_empty() {
        let _ = writeln!(out, "      not reached: {}", unreached.join(", "));
    }
    let _ = writeln!(out, "    transitions  {}/{} ({})", t.0, t.1, percent(t));
    let mut by_widget: Vec<(&str, Vec<String>)> = Vec::new();
    for tr in f.untaken() {
        let label = match &tr.next {
            Some(n) => format!("{} → {n}", tr.event),
            None => format!("{} (ends)", tr.event),
        };
        match by_widget.iter_mut().find(|(w, _)| *w == tr.widget) {
            Some((_, list)) => list.push(label),
            None => by_widget.push((&tr.widget, vec![label])),
        }
    }
    if !by_widget.is_empty() {
        let _ = writeln!(out, "      not taken:");
        for (w, list) in by_widget {
            let _ = writeln!(out, "        {w}: {}", list.join(", "));
        }
    }
}

fn coverage_text(all: &[(String, Coverage)]) -> String {
    let mut out = String::new();
    for (flow, cov) in all {
        let _ = writeln!(out, "coverage of {flow} ({} cases)", cov.cases);
        for f in &cov.flows {
            let label = match &f.subflow {
                None => "main flow".to_owned(),
                Some(name) => format!("subflow {name}"),
            };
            flow_text(&mut out, &label, f);
        }
    }
    out
}

fn coverage_json(all: &[(String, Coverage)]) -> Value {
    Value::Array(
        all.iter()
            .map(|(flow, cov)| {
                json!({
                    "flow": flow,
                    "cases": cov.cases,
                    "flows": cov.flows.iter().map(|f| json!({
                        "subflow": f.subflow,
                        "widgets": f.widgets.iter().map(|w| json!({"name": w.name, "hits": w.hits})).collect::<Vec<_>>(),
                        "transitions": f.transitions.iter().map(|t| json!({
                            "widget": t.widget, "index": t.index, "event": t.event, "next": t.next, "hits": t.hits,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn as_json_with(
    files: &[FileEntry],
    results: &[Ran],
    passed: usize,
    failed: usize,
    coverage: Option<&Vec<(String, Coverage)>>,
) -> Value {
    let files: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(f, entry)| match entry {
            Err((path, message)) => json!({ "file": path, "error": message, "cases": [] }),
            Ok(loaded) => json!({
                "file": loaded.path,
                "flow": loaded.flow_shown,
                "cases": results.iter().filter(|r| r.file == f).map(|r| {
                    let mut v = r.result.to_json();
                    v["seconds"] = json!(r.seconds);
                    v
                }).collect::<Vec<_>>(),
            }),
        })
        .collect();
    let mut out = json!({ "files": files, "passed": passed, "failed": failed });
    if let Some(c) = coverage {
        out["coverage"] = coverage_json(c);
    }
    out
}

/// Text for XML: escaped, without the control characters XML 1.0 forbids.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one `testsuite` per test file, one `testcase` per case.
fn junit(files: &[FileEntry], results: &[Ran]) -> String {
    let mut body = String::new();
    let (mut tests, mut failures, mut errors, mut time) = (0, 0, 0, 0.0);
    for (f, entry) in files.iter().enumerate() {
        match entry {
            Err((path, message)) => {
                errors += 1;
                tests += 1;
                let _ = writeln!(
                    body,
                    "  <testsuite name=\"{p}\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n    <testcase name=\"(read the test file)\" classname=\"{p}\" time=\"0\">\n      <error message=\"{m}\"/>\n    </testcase>\n  </testsuite>",
                    p = xml(path),
                    m = xml(message)
                );
            }
            Ok(loaded) => {
                let ran: Vec<&Ran> = results.iter().filter(|r| r.file == f).collect();
                let failed = ran.iter().filter(|r| !r.result.passed()).count();
                let seconds: f64 = ran.iter().map(|r| r.seconds).sum();
                tests += ran.len();
                failures += failed;
                time += seconds;
                let _ = writeln!(
                    body,
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" time=\"{seconds:.3}\">",
                    xml(&loaded.path),
                    ran.len()
                );
                for r in ran {
                    let _ = write!(
                        body,
                        "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                        xml(&r.result.name),
                        xml(&loaded.path),
                        r.seconds
                    );
                    match &r.result.failure {
                        None => body.push_str("/>\n"),
                        Some(failure) => {
                            let mut detail = String::new();
                            if let Some((want, got)) = failure.diff() {
                                let _ = writeln!(detail, "- expected: {want}\n+ actual:   {got}");
                            }
                            for line in &r.result.transcript {
                                let _ = writeln!(detail, "{line}");
                            }
                            let _ = writeln!(
                                body,
                                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                                xml(&failure.to_string()),
                                xml(&detail)
                            );
                        }
                    }
                }
                body.push_str("  </testsuite>\n");
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"flowpen test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{time:.3}\">\n{body}</testsuites>\n"
    )
}

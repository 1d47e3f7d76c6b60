//! `flowpen check` (diagnostics) and `flowpen fmt` (Studio's formatting), and the one JSON form
//! of a diagnostic (`check --json`, the npm package's `validate`).

use flowpen_flow::{validate, Diagnostic, Flow, Severity};
use serde_json::{json, Value};

use crate::text::visible;
use crate::{utf8, Host, Output, ReadFailure};

/// A flow file that cannot be imported: `file:line:column: error parse-error … (at $.path)`.
pub fn parse_error(path: &str, e: &flowpen_flow::ImportError) -> String {
    format!(
        "{path}:{}:{}: error parse-error {} (at {})",
        e.line, e.column, e.message, e.path
    )
}

/// Reads and imports a flow file, with its text; the error is a line as `check` prints it.
pub fn read_flow(host: &mut dyn Host, path: &str) -> Result<(Flow, String), String> {
    let text = host
        .read(path, usize::MAX)
        .map_err(|e| match e {
            ReadFailure::Io(e) => e,
            ReadFailure::TooLarge(n) => format!("the file has {n} bytes"),
        })
        .and_then(utf8)
        .map_err(|e| format!("{path}: error read-error {e}"))?;
    let flow = Flow::parse(&text).map_err(|e| parse_error(path, &e))?;
    Ok((flow, text))
}

/// A diagnostic as JSON: severity, code, widget, field, line and column (in the field's
/// template, when it has a position), message.
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "severity": d.severity.to_string(),
        "code": d.code,
        "widget": d.widget,
        "field": d.field,
        "line": d.position.map(|p| p.0),
        "column": d.position.map(|p| p.1),
        "message": d.message,
    })
}

/// `flowpen check [--json] FLOW.json…`. `usage` is the shell's usage text (for bad arguments).
pub fn check(args: &[String], host: &mut dyn Host, usage: &str) -> Output {
    let as_json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let mut out = Output::default();
    if files.is_empty() {
        out.stderr = format!("{usage}\n");
        out.code = 2;
        return out;
    }
    let mut failed = false;
    let mut report = Vec::new();
    for path in files {
        match read_flow(host, path) {
            Err(e) => {
                failed = true;
                if as_json {
                    report.push(json!({ "file": path, "severity": "error", "code": "parse-error", "message": e }));
                } else {
                    out.stderr.push_str(&visible(&e));
                    out.stderr.push('\n');
                }
            }
            Ok((flow, _)) => {
                for d in validate(&flow) {
                    failed |= d.severity == Severity::Error;
                    if as_json {
                        let mut v = json!({ "file": path });
                        if let (Value::Object(o), Value::Object(d)) = (&mut v, diagnostic_json(&d))
                        {
                            o.extend(d);
                        }
                        report.push(v);
                    } else {
                        out.stdout.push_str(&visible(&format!("{path}:{d}")));
                        out.stdout.push('\n');
                    }
                }
            }
        }
    }
    if as_json {
        out.stdout = serde_json::to_string_pretty(&report).unwrap_or_default();
        out.stdout.push('\n');
    }
    out.code = u8::from(failed);
    out
}

/// `flowpen fmt FLOW.json`: the flow as Studio exports it.
pub fn fmt(args: &[String], host: &mut dyn Host, usage: &str) -> Output {
    let mut out = Output::default();
    let [path] = args else {
        out.stderr = format!("{usage}\n");
        out.code = 2;
        return out;
    };
    match read_flow(host, path) {
        Ok((flow, text)) => {
            out.stdout = flow.to_pretty_string();
            // Studio's export box has no final newline; files saved by editors do. Keep the input's.
            if !text.ends_with('\n') {
                out.stdout.pop();
            }
        }
        Err(e) => {
            out.stderr = format!("{}\n", visible(&e));
            out.code = 1;
        }
    }
    out
}

//! No input panics: tens of thousands of generated and mutated templates and contexts go through
//! `check` and `render` in Studio and Standard modes (a deterministic, seeded generator written
//! here). Every error must carry a position inside the template and a tidy message, `check` and
//! `render` must agree on syntax errors, and output must respect the output limit.

use flowpen_liquid::{Config, ErrorKind, Liquid, Mode, TemplateError};
use flowpen_testkit::Rng;
use serde_json::{json, Map, Value};

const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{{-",
    "-}}",
    "{%-",
    "-%}",
    "{",
    "}",
    "%",
    "-",
    " ",
    "\n",
    "\t",
    "\r\n",
    "if ",
    "elsif ",
    "else",
    "endif",
    "unless ",
    "endunless",
    "case ",
    "when ",
    "endcase",
    "for ",
    " in ",
    "endfor",
    "tablerow ",
    "endtablerow",
    "capture ",
    "endcapture",
    "cycle ",
    "increment ",
    "decrement ",
    "assign ",
    " = ",
    "echo ",
    "liquid ",
    "raw",
    "endraw",
    "comment",
    "endcomment",
    "doc",
    "enddoc",
    "# ",
    "ifchanged",
    "endifchanged",
    "include ",
    "render ",
    "break",
    "continue",
    "with ",
    " as ",
    " for ",
    "limit:",
    "offset:",
    "continue ",
    "reversed",
    "cols:",
    " and ",
    " or ",
    " contains ",
    "==",
    "!=",
    "<>",
    "<",
    ">",
    "<=",
    ">=",
    "|",
    ":",
    ",",
    ".",
    "..",
    "[",
    "]",
    "(",
    ")",
    "'",
    "\"",
    "x",
    "y",
    "flow",
    "widgets",
    "trigger",
    "forloop",
    "index0",
    "size",
    "first",
    "last",
    "nil",
    "null",
    "true",
    "false",
    "empty",
    "blank",
    "nil_x",
    "x?",
    "a-b",
    "___",
    "0",
    "1",
    "-1",
    "15",
    "2.5",
    "99999999999999999999",
    "100000000",
    "'now'",
    "'2024-01-02'",
    "'%Y %b %d %H:%M %Z %%'",
    "é",
    "🎉",
    "\u{0}",
    "\\",
    "@",
    "$",
    "&",
    "'a'",
    "\"b\"",
    "(1..3)",
    "(1..100000000)",
    "{{ x }}",
    "{% endif %}",
];

const FILTERS: &[&str] = &[
    "abs",
    "append",
    "at_least",
    "at_most",
    "base64_decode",
    "base64_encode",
    "base64_url_safe_decode",
    "base64_url_safe_encode",
    "capitalize",
    "ceil",
    "compact",
    "concat",
    "date",
    "default",
    "divided_by",
    "downcase",
    "escape",
    "escape_once",
    "find",
    "find_index",
    "first",
    "floor",
    "has",
    "join",
    "last",
    "lstrip",
    "map",
    "minus",
    "modulo",
    "newline_to_br",
    "plus",
    "prepend",
    "reject",
    "remove",
    "remove_first",
    "remove_last",
    "replace",
    "replace_first",
    "replace_last",
    "reverse",
    "round",
    "rstrip",
    "size",
    "slice",
    "sort",
    "sort_natural",
    "split",
    "strip",
    "strip_html",
    "strip_newlines",
    "sum",
    "times",
    "to_json",
    "truncate",
    "truncatewords",
    "uniq",
    "upcase",
    "url_decode",
    "url_encode",
    "where",
    "nosuch",
];

const NAMES: &[&str] = &[
    "x",
    "y",
    "items",
    "flow.data",
    "flow.variables.count",
    "widgets.a.parsed",
    "s",
    "n",
    "f",
];

const ARGS: &[&str] = &[
    "1",
    "0",
    "-2",
    "2.5",
    "'a'",
    "'%Y-%m-%d'",
    "x",
    "nil",
    "true",
    "'k'",
    "items",
    "', '",
    "''",
];

/// A plausible template made of tags, outputs and filters.
fn structured(rng: &mut Rng, depth: usize) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(6) + 1 {
        match rng.below(10) {
            0 | 1 => out.push_str(rng.choose(&["text ", "\n", "  ", "é ", "{ ", "}"])),
            2..=4 => {
                out.push_str("{{ ");
                out.push_str(rng.choose(NAMES));
                for _ in 0..rng.below(4) {
                    out.push_str(" | ");
                    out.push_str(rng.choose(FILTERS));
                    if rng.chance(60) {
                        out.push_str(": ");
                        out.push_str(rng.choose(ARGS));
                        if rng.chance(30) {
                            out.push_str(", ");
                            out.push_str(rng.choose(ARGS));
                        }
                    }
                }
                out.push_str(" }}");
            }
            5 if depth < 4 => {
                let cond = format!(
                    "{} {} {}",
                    rng.choose(NAMES),
                    rng.choose(&["==", "!=", "<", ">=", "contains"]),
                    rng.choose(ARGS)
                );
                out.push_str(&format!(
                    "{{% if {cond} %}}{}{{% else %}}{}{{% endif %}}",
                    structured(rng, depth + 1),
                    structured(rng, depth + 1)
                ));
            }
            6 if depth < 4 => {
                let coll = rng.choose(&[
                    "items",
                    "(1..5)",
                    "(1..100000000)",
                    "flow.data",
                    "s",
                    "(n..3)",
                ]);
                let attrs = rng.choose(&[
                    "",
                    " reversed",
                    " limit: 2",
                    " offset: 1",
                    " offset: continue",
                    " limit: n",
                ]);
                out.push_str(&format!(
                    "{{% for i in {coll}{attrs} %}}{{{{ forloop.index }}}}{}{{% endfor %}}",
                    structured(rng, depth + 1)
                ));
            }
            7 => out.push_str(&format!(
                "{{% assign {} = {} | {} %}}",
                rng.choose(&["x", "y", "s"]),
                rng.choose(NAMES),
                rng.choose(FILTERS)
            )),
            8 if depth < 4 => out.push_str(&format!(
                "{{% capture s %}}{}{{% endcapture %}}",
                structured(rng, depth + 1)
            )),
            _ => out.push_str(rng.choose(&[
                "{% cycle 'a', 'b' %}",
                "{% increment n %}",
                "{% case x %}{% when 1, 2 %}a{% else %}b{% endcase %}",
                "{% tablerow i in items cols: 2 %}{{ i }}{% endtablerow %}",
                "{% liquid\nassign z = 1\necho z\n%}",
                "{% # note %}",
                "{% raw %}{{ x }}{% endraw %}",
                "{% include 'p' %}",
                "{{ 'now' | date: '%c' }}",
            ])),
        }
    }
    out
}

/// Random pieces glued together: mostly garbage.
fn garbage(rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(24) {
        out.push_str(rng.choose(PIECES));
    }
    out
}

/// Mutates a template: delete, duplicate, insert a piece, or swap a byte range.
fn mutate(rng: &mut Rng, template: &str) -> String {
    let mut chars: Vec<char> = template.chars().collect();
    for _ in 0..rng.below(4) + 1 {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if !chars.is_empty() => {
                let end = (at + rng.below(6)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let piece: Vec<char> = rng.choose(PIECES).chars().collect();
                chars.splice(at..at, piece);
            }
            2 if !chars.is_empty() => {
                let start = rng.below(chars.len());
                let end = (start + rng.below(12)).min(chars.len());
                let slice: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, slice);
            }
            _ => chars.truncate(at),
        }
    }
    chars.into_iter().collect()
}

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(rng.below(40) as i64 - 20),
        3 => [
            json!(i64::MAX),
            json!(i64::MIN),
            json!(1e300),
            json!(-0.5),
            json!(2.0),
        ][rng.below(5)]
        .clone(),
        4 => json!(rng.choose(&[
            "",
            "a",
            "2",
            " 3.5 ",
            "2024-01-02",
            "1704220200",
            "Tue, 02 Jan 2024 18:30:00 +0000",
            "é🎉",
            "<b>x</b>"
        ])),
        5 => json!(rng.choose(&["aGk=", "%41", "a,b,,c", "March 14, 2016", "now"])),
        6 | 7 => Value::Array((0..rng.below(5)).map(|_| value(rng, depth + 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..rng.below(5) {
                m.insert(
                    rng.choose(&["k", "name", "a-b", "size", "first", "open", "x", "é"])
                        .to_owned(),
                    value(rng, depth + 1),
                );
            }
            Value::Object(m)
        }
    }
}

fn context(rng: &mut Rng) -> Value {
    json!({
        "x": value(rng, 0), "y": value(rng, 0), "s": value(rng, 0), "n": value(rng, 1), "f": value(rng, 1),
        "items": Value::Array((0..rng.below(6)).map(|_| value(rng, 1)).collect()),
        "flow": {"data": value(rng, 0), "variables": {"count": value(rng, 2)}},
        "widgets": {"a": {"parsed": value(rng, 0)}},
    })
}

fn check_error(template: &str, e: &TemplateError) -> Result<(), String> {
    let lines = template.split('\n').count();
    if e.line == 0 || e.column == 0 || e.line > lines {
        return Err(format!(
            "position {}:{} outside the template",
            e.line, e.column
        ));
    }
    let line_len = template
        .split('\n')
        .nth(e.line - 1)
        .map_or(0, |l| l.chars().count());
    if e.column > line_len + 1 {
        return Err(format!(
            "column {} past the end of line {} ({line_len} characters)",
            e.column, e.line
        ));
    }
    let first = e.message.chars().next();
    if e.message.is_empty() || e.message.ends_with('.') || first.is_some_and(char::is_uppercase) {
        return Err(format!("untidy message {:?}", e.message));
    }
    Ok(())
}

/// How renders ended: output, syntax error, render error, output too large.
#[derive(Default, Debug)]
struct Tally {
    ok: usize,
    syntax: usize,
    render: usize,
    too_large: usize,
}

fn exercise(
    liquid: &Liquid,
    template: &str,
    ctx: &Value,
    now: i64,
    tally: &mut Tally,
) -> Result<(), String> {
    let checked = liquid.check(template);
    let rendered = liquid.render(template, ctx, now);
    if let Err(e) = &checked {
        if e.kind != ErrorKind::Syntax {
            return Err(format!("check gave a {:?} error", e.kind));
        }
        if rendered.as_ref().err() != Some(e) {
            return Err(format!("check said {e} but render said {rendered:?}"));
        }
    }
    match &rendered {
        Ok(_) => tally.ok += 1,
        Err(e) if e.kind == ErrorKind::Syntax => tally.syntax += 1,
        Err(e) if e.kind == ErrorKind::Render => tally.render += 1,
        Err(_) => tally.too_large += 1,
    }
    match rendered {
        Ok(out) => match liquid.config().output_limit {
            Some(limit) if out.len() > limit => Err(format!(
                "{} bytes of output over the {limit} limit",
                out.len()
            )),
            _ => Ok(()),
        },
        Err(e) => {
            if checked.is_ok() && e.kind == ErrorKind::Syntax {
                return Err(format!(
                    "render found a syntax error that check did not: {e}"
                ));
            }
            check_error(template, &e)
        }
    }
}

#[test]
fn generated_and_mutated_templates_never_panic() {
    let studio = Liquid::studio();
    // Standard semantics with caps, so that a generated `(1..100000000)` stays quick.
    let standard = Liquid::with_partials(
        Config {
            mode: Mode::Standard,
            loop_limit: Some(40),
            output_limit: Some(1 << 16),
        },
        [("p".to_owned(), "{{ x }}{% include 'p' %}".to_owned())],
    );
    let seeds: Vec<String> = {
        let cases: Value = serde_json::from_str(include_str!("studio_cases.json")).expect("json");
        cases["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter_map(|c| c["template"].as_str().map(str::to_owned))
            .collect()
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    let rounds = 25_000;
    for round in 0..rounds {
        let template = match round % 4 {
            0 => garbage(&mut rng),
            1 => structured(&mut rng, 0),
            2 => {
                let base = structured(&mut rng, 0);
                mutate(&mut rng, &base)
            }
            _ => {
                let base = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, base)
            }
        };
        let ctx = if rng.chance(10) {
            value(&mut rng, 0)
        } else {
            context(&mut rng)
        };
        let now = [0, 1_704_220_200_000, -1, i64::MAX, i64::MIN][rng.below(5)];
        for liquid in [&studio, &standard] {
            if let Err(why) = exercise(liquid, &template, &ctx, now, &mut tally) {
                failures.push(format!("{:?} {template:?}: {why}", liquid.config().mode));
            }
        }
    }
    println!("robustness: {tally:?}");
    // The generator must keep reaching the renderer, not only the syntax checks.
    let total = 2 * rounds;
    assert!(
        tally.ok > total / 5 && tally.syntax > total / 5 && tally.render > total / 500,
        "{tally:?}"
    );
    assert!(
        failures.is_empty(),
        "{} problems, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let liquid = Liquid::studio();
    let deep_blocks = "{% if true %}".repeat(500) + &"{% endif %}".repeat(500);
    let e = liquid.check(&deep_blocks).expect_err("too deep");
    assert_eq!(e.kind, ErrorKind::Syntax);
    let ok_blocks = "{% if true %}{% for i in (1..1) %}".repeat(45)
        + "x"
        + &"{% endfor %}{% endif %}".repeat(45);
    let out = liquid
        .render(&ok_blocks, &Value::Null, 0)
        .expect("90 levels render");
    assert_eq!(out, "x");
    let deep_brackets = format!("{{{{ {}0{} }}}}", "a[".repeat(200), "]".repeat(200));
    assert_eq!(
        liquid.check(&deep_brackets).map_err(|e| e.kind),
        Err(ErrorKind::Syntax)
    );
    let recursive = Liquid::with_partials(
        Config::standard(),
        [("me".to_owned(), "x{% include 'me' %}".to_owned())],
    );
    let e = recursive
        .render("{% include 'me' %}", &Value::Null, 0)
        .expect_err("endless recursion");
    assert_eq!(e.kind, ErrorKind::Render);
}

#[test]
fn large_literals_and_clock_values_are_fine() {
    let liquid = Liquid::studio();
    for template in [
        "{{ 99999999999999999999 | plus: 1 }}",
        "{{ -99999999999999999999 }}",
        "{{ 9223372036854775807 | plus: 1 }}",
        "{{ 'now' | date: '%Y' }}",
        "{{ 99999999999999 | date: '%Y' }}",
        "{% for i in (-9223372036854775807..9223372036854775807) %}{% endfor %}",
        "{{ (1..100000000) | size }}",
        "{{ 'abc' | truncate: -9223372036854775808 }}",
        "{{ 'abc' | truncate: 9223372036854775807, 'xyz' }}",
        "{{ 'abc' | truncatewords: -9223372036854775808 }}",
        "{{ 'abc' | truncatewords: 9223372036854775807 }}",
        "{{ 'abc' | slice: -9223372036854775808, 9223372036854775807 }}",
        "{{ 'abc' | slice: 9223372036854775807, -9223372036854775808 }}",
        "{{ -9223372036854775808 | divided_by: -1 }} {{ -9223372036854775808 | modulo: -1 }}",
        "{{ -9223372036854775808 | abs }} {{ -9223372036854775808 | minus: 1 }} {{ 9223372036854775807 | times: 2 }}",
        "{{ 1.5 | round: 9223372036854775807 }} {{ 15 | round: -9223372036854775808 }}",
        "{{ 1e308 | times: 10 }} {{ 9223372036854775807 | date: '%Y' }} {{ -9223372036854775808 | date: '%Y' }}",
        "{% for i in (1..5) limit: 9223372036854775807 offset: 9223372036854775807 %}{{ i }}{% endfor %}",
        "{% for i in (-9223372036854775808..-9223372036854775807) reversed %}{{ i }}{% endfor %}",
        "{% for i in (9223372036854775806..9223372036854775807) %}{{ forloop.rindex }}{% endfor %}",
        "{% tablerow i in (1..3) cols: 9223372036854775807 limit: -9223372036854775808 %}{% endtablerow %}",
        "{% increment n %}{% assign x = 9223372036854775807 %}{{ x | plus: 1 }}",
        "{{ '2024-01-02T99:99:99Z' | date: '%H' }} {{ '99999-01-01' | date: '%Y' }} {{ '1/2/-5' | date: '%Y' }}",
    ] {
        for now in [i64::MIN, -1, 0, i64::MAX] {
            let res = liquid.render(template, &Value::Null, now);
            if let Err(e) = res {
                assert!(check_error(template, &e).is_ok(), "{template}: {e}");
            }
        }
    }
}

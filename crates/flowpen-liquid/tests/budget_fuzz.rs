//! Adversarial fuzzing of the render budget (issue 11): 800 generated templates built to
//! be expensive (growing assigns and captures, nested loops over huge ranges, costly filter chains
//! with huge numeric and string arguments, strftime widths) render in both modes, and each must
//! stay within its budget by the numbers, not by the clock:
//!
//! - the work the render reports (`RenderStats::work`, counted by the budgeted code paths) is at
//!   most its budget;
//! - the memory it allocated, counted by this binary's allocator (an independent count), is at
//!   most [`BYTES_PER_UNIT`] bytes per unit of that work, plus [`BASE_BYTES`]: work that allocated
//!   without charging the budget would show here;
//! - every byte of a successful render's output was charged, and errors have a position inside
//!   the template and a tidy message.
//!
//! Most renders use a budget 64 to 256 times smaller than their mode's, so that the budget is hit
//! a thousand times in a few seconds of a debug build; every 100th template also renders with the
//! real budgets. The generator is seeded: a failure reproduces.
//!
//! This binary holds one test, so that nothing else allocates while a render is measured.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::System;

use flowpen_liquid::{Config, ErrorKind, Liquid, TemplateError};
use flowpen_testkit::Rng;
use serde_json::{json, Value};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes a render may allocate per unit of work. A unit is about a byte copied, and a value (an
/// array item, a number) costs far more units than the bytes it takes; but a string may be copied
/// more than once per charge (read into a new buffer, then grown), so a few bytes per unit.
const BYTES_PER_UNIT: u64 = 4;

/// Allocations of any render, whatever it does: the scope, the registers, the output buffer.
const BASE_BYTES: u64 = 64 * 1024;

/// 2024-01-02T18:30:00Z.
const NOW_MS: i64 = 1_704_220_200_000;

const VARS: &[&str] = &["s", "t", "a", "s", "items", "nothing"];

const HUGE: &[&str] = &[
    "99999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "3000000000",
    "1000000",
    "15",
];

const FORMATS: &[&str] = &[
    "'%3000000000d'",
    "'%-10000000H'",
    "'%010000000Y'",
    "'%_99999999999999999999m'",
    "'%c %c %c %c %+ %v'",
    "'%^100000a'",
    "'%Y-%m-%d %H:%M:%S %z'",
];

const SEEDS: &[&str] = &[
    "{% assign s = \"xxxxxxxxxxxxxxxx\" %}",
    "{% assign s = \"<&>' x,y\n\" %}",
    "{% assign s = 'a b c d e f g h' %}",
    "{% assign a = (1..200) %}",
    "{% assign a = \"d,c,b,a\" | split: \",\" %}",
    "{% assign a = items %}",
    "{% assign t = s %}",
    "{% capture t %}{{ s }}{{ s }}{% endcapture %}",
];

const RANGES: &[&str] = &[
    "(1..15)",
    "(1..15)",
    "(1..100000000)",
    "(-9223372036854775807..9223372036854775807)",
    "a",
    "s",
    "items",
    "(1..n)",
];

const LOOP_ATTRS: &[&str] = &[
    "",
    "",
    " limit: 99999999999",
    " reversed",
    " offset: continue",
    " limit: 1000000000 offset: 2",
];

fn var(rng: &mut Rng) -> &'static str {
    rng.choose(VARS)
}

/// An expression with one or more filters meant to cost.
fn expr(rng: &mut Rng) -> String {
    let v = var(rng);
    let w = var(rng);
    let h = rng.choose(HUGE);
    let f = rng.choose(FORMATS);
    let filter = match rng.below(38) {
        0 => format!("append: {w}"),
        1 => format!("prepend: {w}"),
        2 => format!("replace: \"x\", {w}"),
        3 => format!("replace: \"\", {w}"),
        4 => format!("replace_first: \"x\", {w}"),
        5 => format!("join: {w}"),
        6 => "split: \"\"".to_owned(),
        7 => "split: \",\"".to_owned(),
        8 => format!("concat: {}", rng.choose(&["a", "items", w])),
        9 => "escape".to_owned(),
        10 => "escape_once".to_owned(),
        11 => "url_encode".to_owned(),
        12 => "upcase".to_owned(),
        13 => "base64_encode".to_owned(),
        14 => "to_json".to_owned(),
        15 => "sort".to_owned(),
        16 => "sort_natural".to_owned(),
        17 => "uniq".to_owned(),
        18 => "reverse".to_owned(),
        19 => "compact".to_owned(),
        20 => format!("slice: 0, {h}"),
        21 => format!("truncate: {h}, {w}"),
        22 => format!("truncatewords: {h}, {w}"),
        23 => format!("default: {w}"),
        24 => "where: \"k\", \"v\"".to_owned(),
        25 => "map: \"k\"".to_owned(),
        26 => "newline_to_br".to_owned(),
        27 => "strip_html".to_owned(),
        28 => "remove: \"x\"".to_owned(),
        29 => "size".to_owned(),
        30 => "first".to_owned(),
        31 => "sum".to_owned(),
        32 => format!("date: {f}"),
        33 => format!("times: {h}"),
        34 => "uniq: \"k\" | sort: \"n\"".to_owned(),
        35 => "base64_encode | base64_decode".to_owned(),
        36 => format!("slice: {h}, {h}"),
        _ => format!("split: {w} | join: {w}"),
    };
    let base = match rng.below(8) {
        0 => format!("'now' | date: {f}"),
        1 => format!("({}..{})", rng.choose(&["1", "-5", "n"]), rng.choose(HUGE)),
        _ => format!("{v} | {filter}"),
    };
    // Sometimes the filters of another expression follow.
    if !rng.chance(30) {
        return base;
    }
    let again = expr(rng);
    match again.split_once(" | ") {
        Some((_, filters)) => format!("{base} | {filters}"),
        None => base,
    }
}

/// A statement, possibly a block around more statements.
fn statement(rng: &mut Rng, depth: usize) -> String {
    let v = var(rng);
    let w = var(rng);
    match rng.below(if depth >= 3 { 6 } else { 12 }) {
        0 | 1 => format!(
            "{{% assign {} = {} %}}",
            rng.choose(&["s", "t", "a"]),
            expr(rng)
        ),
        2 => format!("{{{{ {} }}}}", expr(rng)),
        3 => format!(
            "{{% assign {v} = {v} | {} %}}",
            rng.choose(&[
                "append: s",
                "prepend: t",
                "concat: a",
                "append: t",
                "replace: 'x', s"
            ])
        ),
        4 => format!("{{{{ {v}.size }}}}{{{{ {v}.first }}}}{{{{ {v}[0] }}}}{{% increment n %}}"),
        5 => {
            format!("{{% cycle {v}, {w} %}}{{% if {v} contains {w} or {v} == {w} %}}x{{% endif %}}")
        }
        6 | 7 => format!(
            "{{% for i in {}{} %}}{}{{% endfor %}}",
            rng.choose(RANGES),
            rng.choose(LOOP_ATTRS),
            body(rng, depth + 1)
        ),
        8 => format!(
            "{{% capture {} %}}{}{{% endcapture %}}",
            rng.choose(&["s", "t"]),
            body(rng, depth + 1)
        ),
        9 => format!(
            "{{% tablerow i in {} cols: {} %}}{}{{% endtablerow %}}",
            rng.choose(RANGES),
            rng.choose(HUGE),
            body(rng, depth + 1)
        ),
        10 => format!(
            "{{% case {v} %}}{{% when {w}, 'x' %}}{}{{% else %}}{}{{% endcase %}}",
            body(rng, depth + 1),
            body(rng, depth + 1)
        ),
        _ => format!(
            "{{% ifchanged %}}{{{{ {v} }}}}{{% endifchanged %}}{{% if {v} %}}{}{{% endif %}}",
            body(rng, depth + 1)
        ),
    }
}

fn body(rng: &mut Rng, depth: usize) -> String {
    (0..rng.below(if depth == 0 { 3 } else { 2 }) + 1)
        .map(|_| statement(rng, depth))
        .collect()
}

fn template(rng: &mut Rng) -> String {
    let mut out: String = (0..rng.below(3) + 1).map(|_| rng.choose(SEEDS)).collect();
    // Usually something that doubles, somewhere.
    if rng.chance(60) {
        out.push_str(&format!(
            "{{% for i in {} %}}{{% assign {} %}}{}{{% endfor %}}",
            rng.choose(&["(1..15)", "(1..64)", "(1..100000000)"]),
            rng.choose(&[
                "s = s | append: s",
                "s = s | prepend: s",
                "a = a | concat: a",
                "t = t | replace: 'x', t",
                "s = s | append: t | append: s",
            ]),
            if rng.chance(50) {
                body(rng, 2)
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&body(rng, 0));
    out
}

fn context() -> Value {
    let items: Vec<Value> = (0..60)
        .map(|i| json!({"k": if i % 3 == 0 { "v" } else { "w" }, "n": (i * 7) % 60, "s": "xx,yy"}))
        .collect();
    json!({"items": items, "n": 40})
}

fn check_error(template: &str, e: &TemplateError) -> Result<(), String> {
    let lines = template.split('\n').count();
    if e.line == 0 || e.column == 0 || e.line > lines {
        return Err(format!(
            "position {}:{} outside the template",
            e.line, e.column
        ));
    }
    let first = e.message.chars().next();
    if e.message.is_empty() || e.message.ends_with('.') || first.is_some_and(char::is_uppercase) {
        return Err(format!("untidy message {:?}", e.message));
    }
    if e.kind == ErrorKind::TooMuchWork && !e.message.contains("work budget") {
        return Err(format!(
            "a budget error that does not say so: {:?}",
            e.message
        ));
    }
    Ok(())
}

#[derive(Default, Debug)]
struct Tally {
    ok: usize,
    too_much_work: usize,
    too_large: usize,
    other_errors: usize,
    /// The largest work of a render, and of bytes allocated per unit of work (over renders that
    /// did at least a million units).
    max_work: u64,
    max_bytes_per_unit: f64,
}

/// Renders once, measured; `Err` says what is wrong.
fn exercise(liquid: &Liquid, template: &str, ctx: &Value, tally: &mut Tally) -> Result<(), String> {
    // Parse first: parsing allocates in proportion to the template, not to the render's work.
    let _ = liquid.check(template);
    let region = Region::new(GLOBAL);
    let (result, stats) = liquid.render_with_stats(template, ctx, NOW_MS);
    let allocated = region.change().bytes_allocated as u64;
    if stats.work > stats.work_limit {
        return Err(format!(
            "work {} over the budget of {}",
            stats.work, stats.work_limit
        ));
    }
    if allocated > stats.work.saturating_mul(BYTES_PER_UNIT) + BASE_BYTES {
        return Err(format!(
            "{allocated} bytes allocated for {} units of work",
            stats.work
        ));
    }
    tally.max_work = tally.max_work.max(stats.work);
    if stats.work >= 1_000_000 {
        let ratio = allocated as f64 / stats.work as f64;
        tally.max_bytes_per_unit = tally.max_bytes_per_unit.max(ratio);
    }
    match result {
        Ok(out) => {
            tally.ok += 1;
            if (out.len() as u64) > stats.work {
                return Err(format!(
                    "{} bytes of output for {} units of work",
                    out.len(),
                    stats.work
                ));
            }
            match liquid.config().output_limit {
                Some(limit) if out.len() > limit => {
                    Err(format!("{} bytes of output over {limit}", out.len()))
                }
                _ => Ok(()),
            }
        }
        Err(e) => {
            match e.kind {
                ErrorKind::TooMuchWork => tally.too_much_work += 1,
                ErrorKind::OutputTooLarge => tally.too_large += 1,
                _ => tally.other_errors += 1,
            }
            check_error(template, &e)
        }
    }
}

#[test]
fn adversarial_templates_stay_within_their_budget() {
    let reduced = [
        Liquid::studio().with_work_limit(Config::studio().work_limit() / 64),
        Liquid::new(Config::standard()).with_work_limit(Config::standard().work_limit() / 256),
    ];
    let full = [Liquid::studio(), Liquid::new(Config::standard())];
    let ctx = context();
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    let rounds = 800;
    for round in 0..rounds {
        let template = template(&mut rng);
        let services: &[Liquid] = if round % 100 == 0 { &full } else { &reduced };
        for liquid in services {
            if let Err(why) = exercise(liquid, &template, &ctx, &mut tally) {
                failures.push(format!(
                    "{:?} (budget {}) {template:?}: {why}",
                    liquid.config().mode,
                    liquid.render_with_stats("", &ctx, NOW_MS).1.work_limit
                ));
            }
        }
    }
    println!("budget fuzz: {tally:?}");
    assert!(
        failures.is_empty(),
        "{} problems, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator must keep reaching the budget, and keep rendering too.
    let total = tally.ok + tally.too_much_work + tally.too_large + tally.other_errors;
    assert!(
        tally.too_much_work > total / 5 && tally.ok > total / 10,
        "{tally:?}"
    );
}

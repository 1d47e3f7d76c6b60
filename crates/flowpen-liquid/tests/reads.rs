//! `Liquid::reads`: a render against only the parts of the context a template can read (the
//! values at the ends of its read paths, the objects along them holding only those keys) gives
//! the same result as against the whole context. Checked on every case of golden-liquid (standard
//! mode, with partials), the Studio cases, the benchmark templates and the Studio flow corpus's
//! templates against the bench context. Each picked context is also rendered as the npm package
//! renders it: its JSON text read straight into values (`Context::from_json_text`,
//! `Liquid::render_context`), which must give the same result too.

use flowpen_liquid::{Config, Context, Liquid, Reads, Seg};
use serde_json::{Map, Value};

const STUDIO_CASES: &str = include_str!("studio_cases.json");
const BENCH: &str = include_str!("../../../tests/bench/studio_templates.json");
const NOW_MS: i64 = 1_704_220_200_000;

/// The context reduced to what `reads` names: the npm package's `pick` (`npm/lib/pick.js` walks a
/// JS object the same way).
fn pick(context: &Value, reads: &Reads) -> Value {
    if reads.everything {
        return context.clone();
    }
    let mut out = Value::Object(Map::new());
    for path in &reads.paths {
        out = into(context, path, out);
    }
    out
}

/// `have` (what earlier paths picked at this place, `Null` for nothing yet) with what `path`
/// reads of `src` added.
fn into(src: &Value, path: &[Seg], have: Value) -> Value {
    let Some((seg, rest)) = path.split_first() else {
        return src.clone();
    };
    match (seg, src) {
        (Seg::Key(k), Value::Object(o)) => {
            let mut out = match have {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            if let Some(v) = o.get(k) {
                let before = out.remove(k).unwrap_or(Value::Null);
                out.insert(k.clone(), into(v, rest, before));
            }
            Value::Object(out)
        }
        (Seg::Each, Value::Array(items)) => {
            let mut have = match have {
                Value::Array(a) => a,
                _ => vec![Value::Null; items.len()],
            };
            for (item, slot) in items.iter().zip(have.iter_mut()) {
                *slot = into(item, rest, std::mem::take(slot));
            }
            Value::Array(have)
        }
        // Anything else is read whole: a key of an array, an index of an object, a scalar.
        _ => src.clone(),
    }
}

/// Renders `template` against the whole context and against the picked one; `Err` says how they
/// differ.
fn same(liquid: &Liquid, template: &str, context: &Value) -> Result<(), String> {
    let Ok(reads) = liquid.reads(template) else {
        return Ok(()); // a syntax error reads nothing
    };
    let picked = pick(context, &reads);
    let full = liquid.render(template, context, NOW_MS);
    let part = liquid.render(template, &picked, NOW_MS);
    let text = Context::from_json_text(&picked.to_string()).map_err(|e| e.to_string())?;
    let read = liquid.render_context(template, &text, NOW_MS);
    if full == part && full == read {
        Ok(())
    } else {
        Err(format!(
            "template {template:?}\n  reads {reads:?}\n  whole context: {full:?}\n  picked: {part:?}\n  picked, read from its JSON text: {read:?}"
        ))
    }
}

#[test]
fn studio_cases_and_bench_templates_render_the_same_from_their_reads() {
    let cases: Value = serde_json::from_str(STUDIO_CASES).expect("JSON");
    let mut problems = Vec::new();
    let mut n = 0;
    for case in cases["cases"].as_array().expect("cases") {
        let liquid = if case["config"]["mode"] == "standard" {
            Liquid::new(Config::standard())
        } else {
            Liquid::studio()
        };
        let template = case["template"].as_str().unwrap_or_default();
        n += 1;
        if let Err(e) = same(&liquid, template, &case["context"]) {
            problems.push(e);
        }
    }
    let bench: Value = serde_json::from_str(BENCH).expect("JSON");
    let liquid = Liquid::studio();
    for case in bench["cases"].as_array().expect("cases") {
        n += 1;
        let template = case["template"].as_str().unwrap_or_default();
        if let Err(e) = same(&liquid, template, &bench["context"]) {
            problems.push(e);
        }
        let reads = liquid.reads(template).expect("parses");
        assert!(!reads.everything && !reads.paths.is_empty(), "{template}");
    }
    assert!(n >= 90, "{n}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn reads_are_keys_and_indexes() {
    let liquid = Liquid::studio();
    let reads = |t: &str| {
        let r = liquid.reads(t).expect("parses");
        let text = |p: &Vec<Seg>| {
            p.iter()
                .map(|s| match s {
                    Seg::Key(k) => k.as_str(),
                    Seg::Each => "*",
                })
                .collect::<Vec<&str>>()
                .join(".")
        };
        (
            r.paths.iter().map(text).collect::<Vec<String>>(),
            r.everything,
        )
    };
    assert_eq!(
        reads("Hi {{ flow.data . first_name }} {{ widgets.x[0].y }} {{ a['b c'].size }}"),
        (
            vec![
                "a.b c".to_owned(),
                "flow.data.first_name".to_owned(),
                "widgets.x.*.y".to_owned()
            ],
            false
        )
    );
    assert_eq!(
        reads("{% for i in items %}{{ m[i.key].v | default: d.e }}{% endfor %}"),
        (
            // Every name counts: the loop variable and `in` too.
            vec![
                "d.e".to_owned(),
                "i".to_owned(),
                "in".to_owned(),
                "items".to_owned(),
                "m.*.v".to_owned()
            ],
            false
        )
    );
    assert!(reads("{{ [name] }}").1);
    assert_eq!(
        reads("{{ ['flow'].x }}"),
        (vec!["flow.x".to_owned()], false)
    );
    assert!(liquid.reads("{{ x").is_err());
}

#[test]
fn golden_liquid_renders_the_same_from_its_reads() {
    let Some(shared) = flowpen_testkit::shared_dir("golden_liquid_renders_the_same_from_its_reads")
    else {
        return;
    };
    let path = shared.join("fixtures/golden-liquid/golden_liquid.json");
    let text = std::fs::read_to_string(&path).expect("golden_liquid.json");
    let suite: Value = serde_json::from_str(&text).expect("JSON");
    let mut problems = Vec::new();
    let cases = suite["tests"].as_array().expect("tests");
    for case in cases {
        let template = case["template"].as_str().unwrap_or_default();
        let data = match &case["data"] {
            Value::Null => Value::Object(Map::new()),
            d => d.clone(),
        };
        let liquid = match case["templates"].as_object() {
            Some(partials) => Liquid::with_partials(
                Config::standard(),
                partials
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())),
            ),
            None => Liquid::new(Config::standard()),
        };
        if let Err(e) = same(&liquid, template, &data) {
            problems.push(format!("{}: {e}", case["name"]));
        }
    }
    assert!(cases.len() > 1000);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corpus_templates_render_the_same_from_their_reads() {
    let Some(corpus) = flowpen_testkit::corpus("corpus_templates_render_the_same_from_their_reads")
    else {
        return;
    };
    fn templates(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.contains("{{") || s.contains("{%") => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|x| templates(x, out)),
            Value::Object(map) => map.values().for_each(|x| templates(x, out)),
            _ => {}
        }
    }
    let bench: Value = serde_json::from_str(BENCH).expect("JSON");
    let liquid = Liquid::studio();
    let mut problems = Vec::new();
    for (file, text) in &corpus {
        let doc: Value = serde_json::from_str(text).expect("JSON");
        let mut found = Vec::new();
        templates(&doc, &mut found);
        for t in found {
            if let Err(e) = same(&liquid, &t, &bench["context"]) {
                problems.push(format!("{file}: {e}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// JSON text read straight into values reads as `serde_json` (with its ordered map) reads it:
/// repeated keys (small and large objects), numbers past `i64`, floats, escapes, nesting, and
/// top-level values that are not objects.
#[test]
fn context_text_reads_as_serde_json_does() {
    let liquid = Liquid::studio();
    let mut wide = String::from("{");
    for i in 0..20 {
        wide.push_str(&format!("\"k{i}\": {i}, "));
    }
    wide.push_str("\"k3\": \"again\", \"k19\": [1]}");
    for (text, template) in [
        (
            r#"{"x": {"a": 1, "b": 2, "a": 3}}"#,
            "{{ x | to_json }} {{ x.a }}",
        ),
        (
            &format!("{{\"x\": {wide}}}"),
            "{{ x | to_json }} {{ x.k3 }} {{ x.k19[0] }} {{ x.size }}",
        ),
        (
            r#"{"n": 18446744073709551615, "m": -9223372036854775808, "f": 1.5e300, "z": -0.0}"#,
            "{{ n }} {{ m }} {{ f }} {{ z }} {{ n | plus: 1 }}",
        ),
        (
            r#"{"s": "q\"\\\n\u00e9 🐶", "e": "", "t": true, "u": null}"#,
            "{{ s }}|{{ e }}|{{ t }}|{{ u }}|{{ s | to_json }}",
        ),
        (
            r#"{"a": [[1, {"b": [2, 3]}], {}], "first": {"x": 1}}"#,
            "{{ a[0][1].b.last }} {{ a | to_json }} {{ first.x }} {{ a.first.first }}",
        ),
        ("[1, 2]", "{{ 0 }}|{{ a }}"),
        ("\"text\"", "{{ a }}x"),
    ] {
        let value: Value = serde_json::from_str(text).expect("JSON");
        let context = Context::from_json_text(text).expect("JSON");
        assert_eq!(
            liquid.render_context(template, &context, NOW_MS),
            liquid.render(template, &value, NOW_MS),
            "{text}"
        );
    }
    assert!(Context::from_json_text("{").is_err());
    assert!(
        Context::from_json_text(&"[".repeat(200)).is_err(),
        "nesting is limited"
    );
}

//! Where a flow holds Liquid templates, and the `widgets.NAME` references inside them.
//!
//! A reference is found lexically inside `{{ … }}` and `{% … %}` (outside string literals, `raw`
//! and `comment` blocks): `widgets.NAME…`, `widgets['NAME']…` or `widgets["NAME"]…`, with
//! whitespace allowed around the dot as Studio allows it (`widgets. \nget_reservation`, corpus #08).

use std::fmt;
use std::ops::Range;

use crate::json::{Json, Object, Seg};
use crate::spec::{widget_spec, PropKind};
use crate::{State, WidgetType};

/// A location inside a widget, like `properties.parameters[0].value`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn prop(key: &str) -> FieldPath {
        FieldPath(vec![Seg::Key("properties".into()), Seg::Key(key.into())])
    }

    fn child(&self, seg: Seg) -> FieldPath {
        let mut v = self.0.clone();
        v.push(seg);
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = crate::json::path_string(&self.0);
        f.write_str(
            s.strip_prefix("$.")
                .or_else(|| s.strip_prefix('$'))
                .unwrap_or(&s),
        )
    }
}

/// A templated field of a widget and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateField<'a> {
    pub path: FieldPath,
    pub text: &'a str,
}

/// Every templated field of a widget, in a stable order: typed widgets' Liquid properties (key/value
/// lists: the values) and every string of the properties their spec does not list, split
/// conditions' `arguments` and `value`; for generic widgets every string under `properties` except
/// `offset`.
pub fn template_fields(state: &State) -> Vec<TemplateField<'_>> {
    let mut out = Vec::new();
    match widget_spec(&state.kind) {
        Some(spec) => {
            for p in spec.props.iter().filter(|p| p.templated) {
                let path = FieldPath::prop(p.key);
                match (p.kind, state.properties.get(p.key)) {
                    (PropKind::KeyValues, Some(Json::Array(items))) => {
                        for (i, item) in items.iter().enumerate() {
                            if let Some(text) = item.as_object().and_then(|o| o.str("value")) {
                                let path =
                                    path.child(Seg::Index(i)).child(Seg::Key("value".into()));
                                out.push(TemplateField { path, text });
                            }
                        }
                    }
                    (_, Some(Json::String(text))) => out.push(TemplateField { path, text }),
                    _ => {}
                }
            }
            // A property the spec does not list is still rendered by Studio: check it as a template
            // too (Send Message's `content_variables`, Make Outgoing Call's SIP fields…).
            for (k, v) in state.properties.iter() {
                if k != "offset" && !spec.props.iter().any(|p| p.key == k) {
                    collect_value(v, &FieldPath::prop(k), &mut out);
                }
            }
        }
        None => collect_strings(
            &state.properties,
            &FieldPath(vec![Seg::Key("properties".into())]),
            &mut out,
        ),
    }
    if state.kind == WidgetType::SplitBasedOn {
        for (t, tr) in state.transitions.iter().enumerate() {
            let Some(Json::Array(conds)) = &tr.conditions else {
                continue;
            };
            let base = FieldPath(vec![
                Seg::Key("transitions".into()),
                Seg::Index(t),
                Seg::Key("conditions".into()),
            ]);
            for (c, cond) in conds.iter().enumerate() {
                let Some(o) = cond.as_object() else { continue };
                let here = base.child(Seg::Index(c));
                if let Some(Json::Array(args)) = o.get("arguments") {
                    for (a, arg) in args.iter().enumerate() {
                        if let Some(text) = arg.as_str() {
                            let path = here
                                .child(Seg::Key("arguments".into()))
                                .child(Seg::Index(a));
                            out.push(TemplateField { path, text });
                        }
                    }
                }
                if let Some(text) = o.str("value") {
                    out.push(TemplateField {
                        path: here.child(Seg::Key("value".into())),
                        text,
                    });
                }
            }
        }
    }
    out
}

fn collect_strings<'a>(obj: &'a Object, at: &FieldPath, out: &mut Vec<TemplateField<'a>>) {
    for (k, v) in obj.iter() {
        if at.0.len() == 1 && k == "offset" {
            continue;
        }
        collect_value(v, &at.child(Seg::Key(k.into())), out);
    }
}

fn collect_value<'a>(v: &'a Json, at: &FieldPath, out: &mut Vec<TemplateField<'a>>) {
    match v {
        Json::String(text) => out.push(TemplateField {
            path: at.clone(),
            text,
        }),
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_value(item, &at.child(Seg::Index(i)), out);
            }
        }
        Json::Object(o) => collect_strings(o, at, out),
        _ => {}
    }
}

/// Mutable access to the string at `path` (relative to the widget), if there is one.
pub(crate) fn field_mut<'a>(state: &'a mut State, path: &FieldPath) -> Option<&'a mut String> {
    let target = match path.0.as_slice() {
        [Seg::Key(p), Seg::Key(key), rest @ ..] if p == "properties" => {
            descend(state.properties.get_mut(key)?, rest)?
        }
        [Seg::Key(t), Seg::Index(i), Seg::Key(c), rest @ ..]
            if t == "transitions" && c == "conditions" =>
        {
            descend(state.transitions.get_mut(*i)?.conditions.as_mut()?, rest)?
        }
        _ => return None,
    };
    match target {
        Json::String(s) => Some(s),
        _ => None,
    }
}

fn descend<'a>(mut cur: &'a mut Json, rest: &[Seg]) -> Option<&'a mut Json> {
    for seg in rest {
        cur = match (seg, cur) {
            (Seg::Key(k), Json::Object(o)) => o.get_mut(k)?,
            (Seg::Index(i), Json::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A `widgets.NAME` reference inside a template: the widget name and its byte range in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetRef {
    pub name: String,
    pub range: Range<usize>,
}

/// Finds every `widgets.NAME` reference in a template (see the module docs).
pub fn widget_refs(template: &str) -> Vec<WidgetRef> {
    let mut out = Vec::new();
    let b = template.as_bytes();
    let mut i = 0;
    // Inside `{% raw %}` or `{% comment %}`: the tag name that ends the block.
    let mut skip_until: Option<&'static str> = None;
    while let Some(open) = find(b, i, b"{") {
        let Some(&kind) = b.get(open + 1) else { break };
        let close: &[u8] = match kind {
            b'{' => b"}}",
            b'%' => b"%}",
            _ => {
                i = open + 1;
                continue;
            }
        };
        let body_start = open + 2;
        let end = find_tag_end(b, body_start, close).unwrap_or(b.len());
        if kind == b'%' {
            let name = tag_name(&b[body_start..end]);
            if let Some(until) = skip_until {
                if name == until {
                    skip_until = None;
                }
                i = end + 2;
                continue;
            }
            match name {
                "raw" => skip_until = Some("endraw"),
                "comment" => skip_until = Some("endcomment"),
                _ => scan_expression(template, body_start, end, &mut out),
            }
        } else if skip_until.is_none() {
            scan_expression(template, body_start, end, &mut out);
        }
        i = end + 2;
    }
    out
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The end of a tag: the first `close` outside a quoted string.
fn find_tag_end(b: &[u8], from: usize, close: &[u8]) -> Option<usize> {
    let mut i = from;
    let mut quote = None;
    while i < b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c @ (b'\'' | b'"')) => quote = Some(c),
            (None, _) if b[i..].starts_with(close) => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn tag_name(body: &[u8]) -> &str {
    let s = std::str::from_utf8(body).unwrap_or("");
    let s = s.trim_start_matches('-').trim_start();
    let end = s
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(s.len());
    &s[..end]
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn skip_ws(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn scan_expression(text: &str, start: usize, end: usize, out: &mut Vec<WidgetRef>) {
    let b = text.as_bytes();
    let mut i = start;
    let mut quote = None;
    while i < end {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'\'' || c == b'"' {
            quote = Some(c);
            i += 1;
            continue;
        }
        let boundary = i == start || !(is_ident(b[i - 1]) || b[i - 1] == b'.');
        if boundary
            && b[i..end].starts_with(b"widgets")
            && !b.get(i + 7).is_some_and(|&c| is_ident(c))
        {
            let j = skip_ws(b, i + 7, end);
            if b.get(j) == Some(&b'.') {
                let n = skip_ws(b, j + 1, end);
                let mut k = n;
                while k < end && is_ident(b[k]) {
                    k += 1;
                }
                if k > n {
                    out.push(WidgetRef {
                        name: text[n..k].to_owned(),
                        range: n..k,
                    });
                }
                i = k.max(i + 7);
                continue;
            }
            if b.get(j) == Some(&b'[') {
                let q = skip_ws(b, j + 1, end);
                if let Some(&qc @ (b'\'' | b'"')) = b.get(q) {
                    if let Some(close) = b[q + 1..end].iter().position(|&c| c == qc) {
                        let (n, k) = (q + 1, q + 1 + close);
                        out.push(WidgetRef {
                            name: text[n..k].to_owned(),
                            range: n..k,
                        });
                        i = k + 1;
                        continue;
                    }
                }
            }
            i += 7;
            continue;
        }
        i += 1;
    }
}

/// Rewrites every reference to widget `old` as `new`; `None` when the template has none.
pub fn rename_refs(template: &str, old: &str, new: &str) -> Option<String> {
    rewrite_refs(template, |name| (name == old).then_some(new))
}

/// Rewrites references in one pass: `rename(name)` gives the new name, or `None` to keep it.
/// `None` when nothing changed.
pub fn rewrite_refs<'n>(
    template: &str,
    rename: impl Fn(&str) -> Option<&'n str>,
) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut last = 0;
    for r in widget_refs(template) {
        if let Some(new) = rename(&r.name) {
            out.push_str(&template[last..r.range.start]);
            out.push_str(new);
            last = r.range.end;
        }
    }
    if last == 0 {
        return None;
    }
    out.push_str(&template[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{rename_refs, widget_refs};

    fn names(t: &str) -> Vec<String> {
        widget_refs(t).into_iter().map(|r| r.name).collect()
    }

    #[test]
    fn finds_dotted_bracketed_and_spaced_references() {
        assert_eq!(names("Hi {{widgets.ask.inbound.Body}}"), ["ask"]);
        assert_eq!(
            names("{{ widgets['get-doge-image'].parsed.text }}"),
            ["get-doge-image"]
        );
        assert_eq!(
            names("{% if widgets. \nget_reservation.parsed.count == 1%}x{% endif %}"),
            ["get_reservation"]
        );
        assert_eq!(names("{{widgets.a.x | append: widgets.b.y}}"), ["a", "b"]);
    }

    #[test]
    fn ignores_text_strings_raw_and_comments() {
        assert!(names("widgets.a outside tags").is_empty());
        assert!(names("{{ 'widgets.a' }}").is_empty());
        assert!(names("{% raw %}{{widgets.a}}{% endraw %}").is_empty());
        assert!(names("{% comment %}{{widgets.a}}{% endcomment %}").is_empty());
        assert!(names("{{ mywidgets.a }} {{ x.widgets.b }}").is_empty());
    }

    #[test]
    fn renames_only_the_named_widget() {
        let t = "{{widgets.ask.inbound.Body}} {{widgets.asked.x}} {{widgets['ask'].y}}";
        assert_eq!(
            rename_refs(t, "ask", "question").unwrap(),
            "{{widgets.question.inbound.Body}} {{widgets.asked.x}} {{widgets['question'].y}}"
        );
        assert_eq!(rename_refs(t, "nope", "x"), None);
    }
}

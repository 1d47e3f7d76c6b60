//! Validation: every problem Studio would reject (and a few it would not but users want to know
//! about), as a list of diagnostics. It never stops at the first problem.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use crate::json::Json;
use crate::spec::{is_condition_type, widget_spec, PropKind};
use crate::templates::{template_fields, widget_refs};
use crate::{Flow, State, WidgetType};

/// Studio's schema allows at most this many states.
pub const MAX_STATES: usize = 1000;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Studio would reject the flow, or it cannot run as intended.
    Error,
    /// Legal, but probably a mistake.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem in a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code (`dangling-next`, `liquid-syntax`, …), see [`CODES`].
    pub code: &'static str,
    /// Index of the widget in `states`, when the problem belongs to one.
    pub state: Option<usize>,
    /// The widget's name, when the problem belongs to one.
    pub widget: Option<String>,
    /// The field inside the widget (`properties.body`) or the flow (`initial_state`).
    pub field: Option<String>,
    /// Line and column inside the field's text (Liquid syntax errors).
    pub position: Option<(usize, usize)>,
    pub message: String,
}

/// Every diagnostic code with its severity and meaning.
pub const CODES: &[(&str, Severity, &str)] = &[
    ("no-states", Severity::Error, "the flow has no widgets"),
    (
        "too-many-states",
        Severity::Error,
        "more widgets than Studio's schema allows (1,000)",
    ),
    (
        "missing-initial-state",
        Severity::Error,
        "initial_state is missing or not a string",
    ),
    (
        "unknown-initial-state",
        Severity::Error,
        "initial_state names no widget",
    ),
    (
        "initial-state-not-trigger",
        Severity::Warning,
        "initial_state is not a Trigger widget",
    ),
    (
        "missing-flags",
        Severity::Error,
        "flags.allow_concurrent_calls is missing or not a boolean",
    ),
    (
        "no-trigger",
        Severity::Error,
        "the flow has no Trigger widget",
    ),
    (
        "multiple-triggers",
        Severity::Error,
        "the flow has more than one Trigger widget",
    ),
    (
        "duplicate-name",
        Severity::Error,
        "several widgets share a name",
    ),
    (
        "invalid-name",
        Severity::Error,
        "a name that Studio rejects",
    ),
    (
        "dangling-next",
        Severity::Error,
        "a transition leads to a widget that does not exist",
    ),
    (
        "unreachable",
        Severity::Warning,
        "no path from the Trigger reaches the widget",
    ),
    (
        "missing-property",
        Severity::Error,
        "a required property is missing or empty",
    ),
    (
        "bad-property",
        Severity::Error,
        "a property has the wrong type or an unknown value",
    ),
    (
        "unknown-event",
        Severity::Error,
        "a transition event the widget type does not have",
    ),
    (
        "duplicate-event",
        Severity::Error,
        "the same event appears twice on a widget",
    ),
    (
        "missing-conditions",
        Severity::Error,
        "a split's match transition has no condition",
    ),
    (
        "unknown-condition-type",
        Severity::Error,
        "a split condition type Studio does not have",
    ),
    (
        "liquid-syntax",
        Severity::Error,
        "a template that does not parse",
    ),
    (
        "unknown-widget-reference",
        Severity::Warning,
        "a template refers to a widget that does not exist",
    ),
];

/// Checks Liquid syntax for validation: `Err((line, column, message))` for a template that does not
/// parse. The flow crate uses Studio's dialect from `flowpen-liquid`.
pub type TemplateChecker<'a> = &'a dyn Fn(&str) -> Result<(), (usize, usize, String)>;

thread_local! {
    /// One Studio Liquid service per thread: building a parser is costly and its cache of parsed
    /// templates makes repeated validation of an edited flow cheap.
    static LIQUID: flowpen_liquid::Liquid = flowpen_liquid::Liquid::studio();
}

/// Validates a flow, checking templates with Studio's Liquid dialect.
pub fn validate(flow: &Flow) -> Vec<Diagnostic> {
    LIQUID.with(|liquid| {
        let check = |t: &str| liquid.check(t).map_err(|e| (e.line, e.column, e.message));
        validate_with(flow, &check)
    })
}

/// Validates a flow, checking templates with `check_template`.
pub fn validate_with(flow: &Flow, check_template: TemplateChecker<'_>) -> Vec<Diagnostic> {
    let mut v = Validator { out: Vec::new() };
    v.flow_level(flow);
    let names = names_by_count(flow);
    for (i, state) in flow.states.iter().enumerate() {
        v.name(i, state, &names);
        v.transitions(i, state, &names);
        v.properties(i, state);
        v.templates(i, state, &names, check_template);
    }
    v.reachability(flow, &names);
    by_widget(v.out, flow.states.len())
}

/// The flow's own diagnostics first, then each widget's in the flow's order, each group in the
/// order found: a stable bucket sort (no comparison sort, whose code the wasm would carry once
/// more for this type).
fn by_widget(found: Vec<Diagnostic>, widgets: usize) -> Vec<Diagnostic> {
    let mut buckets: Vec<Vec<Diagnostic>> = Vec::new();
    buckets.resize_with(widgets + 1, Vec::new);
    let last = widgets;
    let total = found.len();
    for d in found {
        let at = d.state.map_or(0, |s| s.saturating_add(1)).min(last);
        buckets[at].push(d);
    }
    let mut out = Vec::with_capacity(total);
    for b in buckets {
        out.extend(b);
    }
    out
}

fn names_by_count(flow: &Flow) -> HashMap<&str, usize> {
    let mut names: HashMap<&str, usize> = HashMap::new();
    for s in &flow.states {
        *names.entry(s.name.as_str()).or_default() += 1;
    }
    names
}

/// Whether Studio accepts `name`: it starts with a letter and has no spaces or periods.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("a widget name cannot be empty")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("a widget name must start with a letter")
    } else if name.contains(char::is_whitespace) {
        Some("a widget name cannot contain spaces")
    } else if name.contains('.') {
        Some("a widget name cannot contain periods")
    } else {
        None
    }
}

struct Validator {
    out: Vec<Diagnostic>,
}

impl Validator {
    fn push(
        &mut self,
        code: &'static str,
        state: Option<(usize, &State)>,
        field: Option<String>,
        message: String,
    ) {
        let severity = CODES
            .iter()
            .find(|(c, ..)| *c == code)
            .map_or(Severity::Error, |(_, s, _)| *s);
        self.out.push(Diagnostic {
            severity,
            code,
            state: state.map(|(i, _)| i),
            widget: state.map(|(_, s)| s.name.clone()),
            field,
            position: None,
            message,
        });
    }

    fn flow_level(&mut self, flow: &Flow) {
        let n = flow.states.len();
        if n == 0 {
            self.push(
                "no-states",
                None,
                Some("states".into()),
                "the flow has no widgets".into(),
            );
        }
        if n > MAX_STATES {
            self.push(
                "too-many-states",
                None,
                Some("states".into()),
                format!("the flow has {n} widgets; Studio accepts at most {MAX_STATES}"),
            );
        }
        match flow.initial_state_json() {
            Some(Json::String(name)) => match flow.state(name) {
                None => self.push(
                    "unknown-initial-state",
                    None,
                    Some("initial_state".into()),
                    format!("initial_state \"{name}\" names no widget"),
                ),
                Some(s) if s.kind != WidgetType::Trigger => self.push(
                    "initial-state-not-trigger",
                    None,
                    Some("initial_state".into()),
                    format!(
                        "initial_state \"{name}\" is a {} widget, not the Trigger",
                        s.kind.label()
                    ),
                ),
                Some(_) => {}
            },
            Some(other) => self.push(
                "missing-initial-state",
                None,
                Some("initial_state".into()),
                format!(
                    "initial_state must be a widget name, found {}",
                    other.kind()
                ),
            ),
            None => self.push(
                "missing-initial-state",
                None,
                Some("initial_state".into()),
                "the flow has no initial_state".into(),
            ),
        }
        let flag = flow
            .top_members()
            .find(|(k, _)| *k == "flags")
            .and_then(|(_, v)| v.as_object())
            .and_then(|o| o.get("allow_concurrent_calls"));
        if !matches!(flag, Some(Json::Bool(_))) {
            self.push(
                "missing-flags",
                None,
                Some("flags.allow_concurrent_calls".into()),
                "flags.allow_concurrent_calls must be true or false".into(),
            );
        }
        let triggers = flow
            .states
            .iter()
            .filter(|s| s.kind == WidgetType::Trigger)
            .count();
        if triggers == 0 && n > 0 {
            self.push(
                "no-trigger",
                None,
                None,
                "the flow has no Trigger widget".into(),
            );
        } else if triggers > 1 {
            self.push(
                "multiple-triggers",
                None,
                None,
                format!("the flow has {triggers} Trigger widgets; Studio allows one"),
            );
        }
    }

    fn name(&mut self, i: usize, state: &State, names: &HashMap<&str, usize>) {
        if let Some(problem) = name_problem(&state.name) {
            self.push(
                "invalid-name",
                Some((i, state)),
                Some("name".into()),
                format!("{problem}: \"{}\"", state.name),
            );
        }
        let count = names.get(state.name.as_str()).copied().unwrap_or(0);
        if count > 1 {
            self.push(
                "duplicate-name",
                Some((i, state)),
                Some("name".into()),
                format!(
                    "{count} widgets are named \"{}\"; names must be unique",
                    state.name
                ),
            );
        }
    }

    fn transitions(&mut self, i: usize, state: &State, names: &HashMap<&str, usize>) {
        let spec = widget_spec(&state.kind);
        let mut seen: HashSet<&str> = HashSet::new();
        for (t, tr) in state.transitions.iter().enumerate() {
            let field = || Some(format!("transitions[{t}]"));
            if let Some(next) = &tr.next {
                if !names.contains_key(next.as_str()) {
                    self.push(
                        "dangling-next",
                        Some((i, state)),
                        Some(format!("transitions[{t}].next")),
                        format!(
                            "the \"{}\" transition leads to \"{next}\", which does not exist",
                            tr.event
                        ),
                    );
                }
            }
            let Some(spec) = spec else { continue };
            match spec.events.iter().find(|e| e.name == tr.event) {
                None => {
                    let known: Vec<&str> = spec.events.iter().map(|e| e.name).collect();
                    self.push(
                        "unknown-event",
                        Some((i, state)),
                        field(),
                        format!(
                            "{} widgets have no \"{}\" event (they have {})",
                            state.kind.label(),
                            tr.event,
                            known.join(", ")
                        ),
                    );
                }
                Some(e) if !e.repeatable && !seen.insert(e.name) => self.push(
                    "duplicate-event",
                    Some((i, state)),
                    field(),
                    format!("the \"{}\" event appears more than once", tr.event),
                ),
                Some(_) => {}
            }
            if state.kind == WidgetType::SplitBasedOn && tr.event == "match" {
                let conds = tr.condition_list();
                if conds.is_empty() {
                    self.push(
                        "missing-conditions",
                        Some((i, state)),
                        Some(format!("transitions[{t}].conditions")),
                        "a \"match\" transition needs a condition".into(),
                    );
                }
                for (c, cond) in conds.iter().enumerate() {
                    if !is_condition_type(&cond.kind) {
                        self.push(
                            "unknown-condition-type",
                            Some((i, state)),
                            Some(format!("transitions[{t}].conditions[{c}].type")),
                            format!("\"{}\" is not a split condition type", cond.kind),
                        );
                    }
                }
            }
        }
    }

    fn properties(&mut self, i: usize, state: &State) {
        let Some(spec) = widget_spec(&state.kind) else {
            return;
        };
        for p in spec.props {
            let field = || Some(format!("properties.{}", p.key));
            let value = state.properties.get(p.key);
            let empty = match value {
                None | Some(Json::Null) => true,
                Some(Json::String(s)) => s.trim().is_empty(),
                _ => false,
            };
            if p.required && empty {
                self.push(
                    "missing-property",
                    Some((i, state)),
                    field(),
                    format!("{} needs \"{}\" ({})", state.kind.label(), p.label, p.key),
                );
                continue;
            }
            let Some(value) = value else { continue };
            let problem = match (p.kind, value) {
                (_, Json::Null) => None,
                (PropKind::Text | PropKind::Multiline, Json::String(_)) => None,
                (PropKind::Text | PropKind::Multiline, other) => {
                    Some(format!("must be text, found {}", other.kind()))
                }
                (PropKind::Number, v) if v.as_number_lenient().is_some() => None,
                (PropKind::Number, Json::String(s)) if s.contains("{{") => None,
                (PropKind::Number, other) => {
                    Some(format!("must be a number, found {}", other.to_compact()))
                }
                (PropKind::Bool, Json::Bool(_)) => None,
                (PropKind::Bool, other) => {
                    Some(format!("must be true or false, found {}", other.kind()))
                }
                (PropKind::Choice(choices), Json::String(s)) => {
                    let known = choices
                        .iter()
                        .any(|(v, _)| v.eq_ignore_ascii_case(s.trim()))
                        || (p.key == "content_type" && s.trim().starts_with("application/"));
                    (!known).then(|| format!("\"{s}\" is not one of the choices"))
                }
                (PropKind::Choice(_), other) => {
                    Some(format!("must be text, found {}", other.kind()))
                }
                (PropKind::KeyValues, Json::Array(items)) => items
                    .iter()
                    .position(|it| it.as_object().is_none_or(|o| o.str("key").is_none()))
                    .map(|bad| format!("item {} must be an object with a text \"key\"", bad + 1)),
                (PropKind::KeyValues, other) => {
                    Some(format!("must be a list, found {}", other.kind()))
                }
            };
            if let Some(problem) = problem {
                self.push(
                    "bad-property",
                    Some((i, state)),
                    field(),
                    format!("\"{}\" {problem}", p.label),
                );
            }
        }
        if state.kind == WidgetType::MakeHttpRequest {
            if let Some(Json::String(m)) = state.properties.get("method") {
                let has_body = state.properties.str("body").is_some_and(|b| !b.is_empty());
                if m.eq_ignore_ascii_case("GET") && has_body {
                    self.push(
                        "bad-property",
                        Some((i, state)),
                        Some("properties.body".into()),
                        "a GET request cannot send a request body".into(),
                    );
                }
            }
        }
    }

    fn templates(
        &mut self,
        i: usize,
        state: &State,
        names: &HashMap<&str, usize>,
        check: TemplateChecker<'_>,
    ) {
        for field in template_fields(state) {
            if !(field.text.contains("{{") || field.text.contains("{%")) {
                continue;
            }
            if let Err((line, column, message)) = check(field.text) {
                self.push(
                    "liquid-syntax",
                    Some((i, state)),
                    Some(field.path.to_string()),
                    message,
                );
                if let Some(d) = self.out.last_mut() {
                    d.position = Some((line, column));
                }
            }
            let mut reported: HashSet<String> = HashSet::new();
            for r in widget_refs(field.text) {
                if names.contains_key(r.name.as_str()) || !reported.insert(r.name.clone()) {
                    continue;
                }
                self.push(
                    "unknown-widget-reference",
                    Some((i, state)),
                    Some(field.path.to_string()),
                    format!("refers to widgets.{}, which does not exist", r.name),
                );
            }
        }
    }

    /// Widgets no path from the initial state reaches. A widget whose name is shared is skipped:
    /// transitions cannot tell the twins apart, and `duplicate-name` already reports it.
    fn reachability(&mut self, flow: &Flow, names: &HashMap<&str, usize>) {
        let index = flow.name_index();
        let start = flow.initial_state().and_then(|n| index.get(n).copied());
        let Some(start) = start else { return };
        let mut seen = vec![false; flow.states.len()];
        let mut queue = VecDeque::from([start]);
        seen[start] = true;
        while let Some(i) = queue.pop_front() {
            for tr in &flow.states[i].transitions {
                if let Some(&j) = tr.next.as_deref().and_then(|n| index.get(n)) {
                    if !seen[j] {
                        seen[j] = true;
                        queue.push_back(j);
                    }
                }
            }
        }
        for (i, state) in flow.states.iter().enumerate() {
            if !seen[i] && names.get(state.name.as_str()) == Some(&1) {
                self.push(
                    "unreachable",
                    Some((i, state)),
                    None,
                    format!("no path from the Trigger reaches \"{}\"", state.name),
                );
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `widget:field: severity code message` (the CLI prefixes the file name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widget = self.widget.as_deref().unwrap_or("-");
        let mut field = self.field.clone().unwrap_or_else(|| "-".into());
        if let Some((line, col)) = self.position {
            field = format!("{field}@{line}:{col}");
        }
        write!(
            f,
            "{widget}:{field}: {} {} {}",
            self.severity, self.code, self.message
        )
    }
}

//! Set Variables and Split Based On…: the widgets that decide without waiting for anything.

use flowpen_flow::State;
use serde_json::{json, Value};

use super::Engine;
use crate::io::EndReason;
use crate::step::{Change, Comparison, Step, StepDetail};

impl Engine {
    pub(crate) fn run_set_variables(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        // Every value sees the Flow Data from before the widget; they are set at the end of the step.
        let pairs = self.render_pairs(i, "variables", &mut step, now_ms)?;
        for (key, value) in &pairs {
            let value = variable_value(value);
            step.changes.push(Change {
                path: vec!["flow".into(), "variables".into(), key.clone()],
                value,
            });
        }
        for c in &step.changes {
            c.apply(&mut self.ctx);
        }
        step.outcome = format!(
            "set {} variable{}",
            pairs.len(),
            if pairs.len() == 1 { "" } else { "s" }
        );
        self.leave(i, "next", step, now_ms);
        Ok(())
    }

    pub(crate) fn run_split(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let state: &State = &self.flow.states[i];
        let input = state.prop_str("input").unwrap_or_default().to_owned();
        let matches: Vec<(usize, Vec<flowpen_flow::Condition>)> = state
            .transitions
            .iter()
            .enumerate()
            .filter(|(_, t)| t.event == "match")
            .map(|(t, tr)| (t, tr.condition_list()))
            .collect();
        let subject = self.render(i, "input", &input, now_ms)?;
        step.inputs.push(("input".into(), subject.clone()));
        let mut comparisons = Vec::new();
        let mut chosen = None;
        for (t, conds) in matches {
            let mut all = !conds.is_empty();
            for cond in conds {
                // A condition's own argument is its subject; Studio stores the input there.
                let subject = match cond.arguments.first() {
                    Some(arg) if !arg.trim().is_empty() && *arg != input => {
                        self.render(i, "arguments", arg, now_ms)?
                    }
                    _ => subject.clone(),
                };
                let value = self.render(i, "value", &cond.value, now_ms)?;
                let eval = self.conditions.evaluate(&cond.kind, &subject, &value);
                all &= eval.matched;
                comparisons.push(Comparison {
                    transition: t,
                    kind: cond.kind,
                    value,
                    matched: eval.matched,
                    note: eval.note,
                });
            }
            if all {
                chosen = Some(t);
                break;
            }
        }
        step.outcome = match chosen {
            Some(t) => {
                let n = self.flow.states[i].transitions[..=t]
                    .iter()
                    .filter(|x| x.event == "match")
                    .count();
                format!("\"{subject}\" matched condition {n}")
            }
            None => format!("\"{subject}\" matched no condition"),
        };
        step.detail = StepDetail::Split {
            subject,
            comparisons,
        };
        match chosen {
            Some(t) => self.leave_via(i, t, step, now_ms),
            None => self.leave(i, "noMatch", step, now_ms),
        }
        Ok(())
    }
}

/// inside double quotes when quoted (`"5"` stays the string `5`).
fn variable_value(rendered: &str) -> Value {
    let t = rendered.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        return json!(t[1..t.len() - 1]);
    }
    let numeric = !t.is_empty()
        && t.trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|&c| c == '.').count() <= 1
        && t.trim_start_matches('-')
            .starts_with(|c: char| c.is_ascii_digit())
        && !t.ends_with('.');
    if numeric {
        if let Ok(n) = t.parse::<i64>() {
            return json!(n);
        }
        if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    json!(t)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::variable_value;

    #[test]
    fn set_variables_values_are_numbers_unless_quoted() {
        assert_eq!(variable_value(" 1 "), json!(1));
        assert_eq!(variable_value("2.5"), json!(2.5));
        assert_eq!(variable_value("-3"), json!(-3));
        assert_eq!(variable_value("\"5\""), json!("5"));
        assert_eq!(variable_value("abc"), json!("abc"));
        assert_eq!(variable_value("1.2.3"), json!("1.2.3"));
        assert_eq!(variable_value("1e5"), json!("1e5"));
        assert_eq!(variable_value(""), json!(""));
    }
}

//! The other flows of a project, for Run Subflow.
//!
//! Studio finds a subflow by the Run Subflow widget's `flow_sid`
//! (<https://www.twilio.com/docs/studio/widget-library/run-subflow>). A playground project has no
//! SIDs of its own, so a flow can also be registered under a name: the name of the Run Subflow
//! widget that runs it. A lookup tries the SID first, then the widget's name.

use std::rc::Rc;

use flowpen_flow::Flow;

/// Flows a Run Subflow widget can run, by SID or by the name of the widget that runs them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Subflows {
    entries: Vec<(String, Rc<Flow>)>,
}

impl Subflows {
    pub fn new() -> Subflows {
        Subflows::default()
    }

    /// Registers `flow` under `key` (a `FW…` SID or a Run Subflow widget's name), replacing the
    /// flow registered under the same key.
    pub fn insert(&mut self, key: impl Into<String>, flow: Rc<Flow>) {
        let key = key.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = flow,
            None => self.entries.push((key, flow)),
        }
    }

    /// Like [`Subflows::insert`], builder style.
    pub fn with(mut self, key: impl Into<String>, flow: Rc<Flow>) -> Subflows {
        self.insert(key, flow);
        self
    }

    /// The flow a Run Subflow widget named `widget` runs: the one registered under its
    /// `flow_sid`, else the one registered under the widget's name. Keys match exactly.
    pub fn resolve(&self, flow_sid: &str, widget: &str) -> Option<Rc<Flow>> {
        let find = |key: &str| {
            (!key.is_empty())
                .then(|| self.entries.iter().find(|(k, _)| k == key))
                .flatten()
                .map(|(_, f)| Rc::clone(f))
        };
        find(flow_sid.trim()).or_else(|| find(widget))
    }

    /// Every key `flow` is registered under (the same flow, not an equal one), in order.
    pub fn keys_of(&self, flow: &Rc<Flow>) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(_, f)| Rc::ptr_eq(f, flow))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The keys, in the order they were registered.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use flowpen_flow::Flow;

    use super::Subflows;

    fn flow(description: &str) -> Rc<Flow> {
        let text = format!(
            r#"{{"description": "{description}", "states": [{{"name": "Trigger", "type": "trigger", "transitions": [], "properties": {{"offset": {{"x": 0, "y": 0}}}}}}], "initial_state": "Trigger", "flags": {{"allow_concurrent_calls": true}}}}"#
        );
        Rc::new(Flow::parse(&text).expect("flow"))
    }

    fn description(f: &Flow) -> String {
        f.to_pretty_string()
            .lines()
            .find(|l| l.contains("\"description\""))
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    #[test]
    fn the_sid_wins_over_the_widget_name() {
        let subflows = Subflows::new()
            .with("ask", flow("by name"))
            .with("FW1", flow("by sid"));
        let by_sid = subflows.resolve("FW1", "ask").expect("found");
        assert!(description(&by_sid).contains("by sid"));
        let by_name = subflows.resolve("FW2", "ask").expect("found");
        assert!(description(&by_name).contains("by name"));
        assert!(subflows.resolve("FW2", "other").is_none());
        assert!(subflows.resolve("", "").is_none());
    }

    #[test]
    fn inserting_a_key_again_replaces_its_flow() {
        let mut subflows = Subflows::new().with("FW1", flow("old"));
        subflows.insert("FW1", flow("new"));
        assert_eq!(subflows.len(), 1);
        assert!(description(&subflows.resolve("FW1", "w").expect("found")).contains("new"));
        assert_eq!(subflows.keys().collect::<Vec<_>>(), vec!["FW1"]);
    }
}

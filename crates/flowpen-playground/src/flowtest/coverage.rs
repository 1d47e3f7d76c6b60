//! Path coverage: per flow (the main flow and each subflow), which widgets the cases reached and
//! which transitions they took, and which ones none did.
//!
//! A widget is reached when a step of the log ran it, or when the execution waits in it at the
//! end. A transition is one entry of a widget's `transitions`: it is taken when a step left the
//! widget through it (a split's condition is told apart by the comparison that matched; other
//! widgets by the event, and the next widget when a widget lists an event twice). Transitions
//! without a next widget count too: they are where a flow ends.

use flowpen_engine::StepDetail;
use flowpen_flow::Flow;

use super::result::CaseResult;
use super::target::Target;

/// How often each widget was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetCoverage {
    pub name: String,
    pub hits: usize,
}

/// How often one transition was taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionCoverage {
    pub widget: String,
    /// Its position in the widget's `transitions`.
    pub index: usize,
    pub event: String,
    pub next: Option<String>,
    pub hits: usize,
}

/// The coverage of one flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowCoverage {
    /// `None` for the main flow, else the subflow's name.
    pub subflow: Option<String>,
    pub widgets: Vec<WidgetCoverage>,
    pub transitions: Vec<TransitionCoverage>,
}

impl FlowCoverage {
    fn of(flow: &Flow, subflow: Option<String>) -> FlowCoverage {
        let mut widgets = Vec::new();
        let mut transitions = Vec::new();
        for s in &flow.states {
            widgets.push(WidgetCoverage {
                name: s.name.clone(),
                hits: 0,
            });
            for (index, t) in s.transitions.iter().enumerate() {
                transitions.push(TransitionCoverage {
                    widget: s.name.clone(),
                    index,
                    event: t.event.clone(),
                    next: t.next.clone().filter(|n| !n.is_empty()),
                    hits: 0,
                });
            }
        }
        FlowCoverage {
            subflow,
            widgets,
            transitions,
        }
    }

    fn reach(&mut self, widget: &str) {
        if let Some(w) = self.widgets.iter_mut().find(|w| w.name == widget) {
            w.hits += 1;
        }
    }

    fn take(&mut self, widget: &str, index: Option<usize>, event: &str, next: Option<&str>) {
        let mut candidates = self.transitions.iter_mut().filter(|t| t.widget == widget);
        let found = match index {
            Some(i) => candidates.find(|t| t.index == i),
            None => {
                let same: Vec<&mut TransitionCoverage> =
                    candidates.filter(|t| t.event == event).collect();
                let pick = same
                    .iter()
                    .position(|t| t.next.as_deref() == next)
                    .unwrap_or(0);
                same.into_iter().nth(pick)
            }
        };
        if let Some(t) = found {
            t.hits += 1;
        }
    }

    /// Widgets no case reached.
    pub fn unreached(&self) -> impl Iterator<Item = &WidgetCoverage> {
        self.widgets.iter().filter(|w| w.hits == 0)
    }

    /// Transitions no case took.
    pub fn untaken(&self) -> impl Iterator<Item = &TransitionCoverage> {
        self.transitions.iter().filter(|t| t.hits == 0)
    }

    /// (reached, all) widgets.
    pub fn widget_counts(&self) -> (usize, usize) {
        (
            self.widgets.iter().filter(|w| w.hits > 0).count(),
            self.widgets.len(),
        )
    }

    /// (taken, all) transitions.
    pub fn transition_counts(&self) -> (usize, usize) {
        (
            self.transitions.iter().filter(|t| t.hits > 0).count(),
            self.transitions.len(),
        )
    }
}

/// Coverage of a target by any number of case results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// The main flow first, then the subflows in the target's order.
    pub flows: Vec<FlowCoverage>,
    /// How many results were added.
    pub cases: usize,
}

impl Coverage {
    /// Nothing reached yet.
    pub fn new(target: &Target) -> Coverage {
        let mut flows = vec![FlowCoverage::of(&target.flow, None)];
        for s in &target.subflows {
            flows.push(FlowCoverage::of(&s.flow, Some(s.name.clone())));
        }
        Coverage { flows, cases: 0 }
    }

    /// Adds what one case went through (passed or not).
    pub fn add(&mut self, target: &Target, result: &CaseResult) {
        self.cases += 1;
        let flow_of = |subflow: Option<&flowpen_engine::SubflowRef>| match subflow {
            None => Some(0),
            Some(r) => target.subflow_index(&r.flow_sid, &r.widget).map(|i| i + 1),
        };
        for s in &result.steps {
            let Some(f) = flow_of(s.subflow.as_ref()) else {
                continue;
            };
            let cov = &mut self.flows[f];
            cov.reach(&s.widget);
            if let Some(event) = &s.event {
                let index = match &s.detail {
                    StepDetail::Split { comparisons, .. } if event != "noMatch" => {
                        comparisons.iter().find(|c| c.matched).map(|c| c.transition)
                    }
                    _ => None,
                };
                cov.take(&s.widget, index, event, s.next.as_deref());
            }
        }
        if let Some(w) = &result.waiting {
            if let Some(f) = flow_of(w.subflow.as_ref()) {
                self.flows[f].reach(&w.widget);
            }
            // While a subflow runs, the parent waits in its Run Subflow widget.
            if let Some(r) = &w.subflow {
                self.flows[0].reach(&r.widget);
            }
        }
    }

    /// The main flow's coverage.
    pub fn main(&self) -> &FlowCoverage {
        &self.flows[0]
    }
}

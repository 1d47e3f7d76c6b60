//! The problems list: every diagnostic of the flow; clicking one selects its widget.

use flowpen_flow::{Diagnostic, Severity};
use yew::prelude::*;

use super::icons;
use super::{use_dispatch, Ptr};
use flowpen_playground::editor::Action;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub diagnostics: Ptr<Vec<Diagnostic>>,
}

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    let dispatch = use_dispatch();
    let open = use_state(|| false);
    let errors = props
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = props.diagnostics.len() - errors;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <section class={classes!("problems", open.then_some("open"))} data-testid="problems" aria-label="Problems">
            <button type="button" class="problems-head" data-testid="problems-toggle"
                aria-expanded={open.to_string()} onclick={toggle}>
                <span class="problems-title">{ "Problems" }</span>
                <span class={classes!("count", "error", (errors == 0).then_some("zero"))} title="Errors">
                    { icons::glyph(icons::ERROR) }{ errors }
                </span>
                <span class={classes!("count", "warning", (warnings == 0).then_some("zero"))} title="Warnings">
                    { icons::glyph(icons::WARN) }{ warnings }
                </span>
                <span class="problems-chevron">{ icons::glyph(icons::CHEVRON) }</span>
            </button>
            if *open {
                <ul class="problems-list">
                    if props.diagnostics.is_empty() {
                        <li class="muted">{ "No problems: Studio would accept this flow." }</li>
                    }
                    { for props.diagnostics.iter().map(|d| {
                        let error = d.severity == Severity::Error;
                        let onclick = {
                            let dispatch = dispatch.clone();
                            let target = d.state;
                            Callback::from(move |_: MouseEvent| {
                                if let Some(i) = target {
                                    dispatch.dispatch(Action::Reveal(i));
                                }
                            })
                        };
                        html! {
                            <li>
                                <button type="button" class={classes!("problem", if error { "error" } else { "warning" })}
                                    data-testid="problem" data-code={d.code} data-widget={d.widget.clone().unwrap_or_default()}
                                    disabled={d.state.is_none()} {onclick}>
                                    { icons::glyph(if error { icons::ERROR } else { icons::WARN }) }
                                    <span class="problem-widget">{ d.widget.clone().unwrap_or_else(|| "Flow".into()) }</span>
                                    <span class="problem-message">{ &d.message }</span>
                                    <span class="problem-code">{ d.code }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

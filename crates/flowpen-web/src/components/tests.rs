//! The Tests panel: the project's flow test cases (its `.test.yaml` text), run one or all, their
//! results with the first mismatch, a case's run in the execution log, coverage on the canvas,
//! the test file's text with live errors, and its export for CI. *Save as test* (in the
//! Simulator) adds cases. Reading, running and judging are `flowpen_playground::flowtest`'s.

use flowpen_flow::Flow;
use yew::prelude::*;

use super::dialogs::Modal;
use super::icons;
use super::inspector::fields::event_value;
use super::{use_dispatch, Ptr};
use crate::hooks::browser;
use crate::hooks::simulator::Sim;
use crate::hooks::tests::Tests;
use flowpen_playground::editor::{Action, Level, Panel};
use flowpen_playground::flowtest::{self, record_checked, Target};
use flowpen_playground::project::{self, FunctionsProject, ProjectRef, Subflow, WidgetStub};

#[derive(Properties, PartialEq)]
pub struct TestsPanelProps {
    pub tests: Tests,
    /// The project's flow tests (text).
    pub text: Ptr<String>,
    /// The project's main flow (for the exported file's names).
    pub main: Ptr<Flow>,
    /// The project as it is, by pointer (are the results still about it?).
    pub project: [usize; 4],
    pub hidden: bool,
}

/// The panel.
#[function_component(TestsPanel)]
pub fn tests_panel(props: &TestsPanelProps) -> Html {
    let dispatch = use_dispatch();
    // A project without tests has an empty text: no cases, nothing wrong.
    let parsed = use_memo(props.text.clone(), |text| {
        (!text.trim().is_empty()).then(|| flowtest::parse(text))
    });
    let tests = &props.tests;
    let (results, running, stale, allow_network, show_coverage) = tests
        .view(|s| {
            (
                s.results.clone(),
                s.running,
                s.against.is_some_and(|k| k != props.project),
                s.allow_network,
                s.show_coverage,
            )
        })
        .unwrap_or_default();
    let cases: Vec<String> = match &*parsed {
        Some(Ok(file)) => file.cases.iter().map(|c| c.name.clone()).collect(),
        Some(Err(_)) | None => Vec::new(),
    };
    let error = match &*parsed {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let run_all = {
        let tests = tests.clone();
        Callback::from(move |_: MouseEvent| tests.run(None))
    };
    let export = {
        let (text, main, dispatch) = (props.text.clone(), props.main.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let file = flowtest::set_flow(&text, &project::project_file_name(&main));
            if !browser::download(&project::test_file_name(&main), &file, "application/yaml") {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "The browser refused the download.".into(),
                });
            }
        })
    };
    let toggle_coverage = {
        let tests = tests.clone();
        Callback::from(move |_: Event| tests.set_show_coverage(!show_coverage))
    };
    let toggle_network = {
        let tests = tests.clone();
        Callback::from(move |_: Event| tests.set_allow_network(!allow_network))
    };
    let oninput = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| dispatch.dispatch(Action::SetTests(event_value(&e))))
    };
    let ran = results.iter().flatten().count();
    let failed = results.iter().flatten().filter(|r| !r.passed()).count();
    let rows = cases.iter().enumerate().map(|(i, name)| {
        let result = results.get(i).and_then(Option::as_ref);
        let status = match (running == Some(i), result) {
            (true, _) => "running",
            (false, Some(r)) if r.passed() => "passed",
            (false, Some(_)) => "failed",
            (false, None) => "not-run",
        };
        let run_one = {
            let tests = tests.clone();
            Callback::from(move |_: MouseEvent| tests.run(Some(i)))
        };
        let show = {
            let (tests, dispatch) = (tests.clone(), dispatch.clone());
            // The failing widget of the main flow, selected on the canvas.
            let widget = result
                .and_then(|r| r.failure.as_ref())
                .and_then(|f| f.widget.as_deref())
                .and_then(|w| props.main.index_of(w));
            Callback::from(move |_: MouseEvent| {
                tests.show_in_log(i);
                if let Some(index) = widget {
                    dispatch.dispatch(Action::OpenFlow(None));
                    dispatch.dispatch(Action::Reveal(index));
                }
            })
        };
        html! {
            <li class={classes!("test-case", status)} data-testid="test-case" data-name={name.clone()} data-status={status}>
                <div class="test-row">
                    <span class="test-dot" aria-hidden="true"></span>
                    <span class="test-name">{ name }</span>
                    <span class="test-status">{ match status {
                        "running" => "running…", "passed" => "passed", "failed" => "failed", _ => "",
                    } }</span>
                    if result.is_some() {
                        <button type="button" class="btn tiny" data-testid="test-show" onclick={show}
                            title="Show this case's run in the execution log (at the failing step)">{ "Show in log" }</button>
                    }
                    <button type="button" class="btn tiny" data-testid="test-run" disabled={running.is_some()}
                        onclick={run_one}>{ icons::glyph(icons::PLAY) }{ "Run" }</button>
                </div>
                if let Some(f) = result.and_then(|r| r.failure.as_ref()) {
                    <div class="test-failure" data-testid="test-failure" role="alert">
                        <div>{ f.to_string() }</div>
                        if let Some((expected, actual)) = f.diff() {
                            <pre class="test-diff" data-testid="test-diff">
                                <span class="diff-expected">{ format!("- expected: {expected}") }</span>{ "\n" }
                                <span class="diff-actual">{ format!("+ actual:   {actual}") }</span>
                            </pre>
                        }
                    </div>
                }
            </li>
        }
    });
    html! {
        <section class="side-panel tests-panel" data-testid="tests-panel" data-own-keys="true" aria-label="Flow tests" hidden={props.hidden}>
            <div class="tests-head">
                <div class="tests-title">
                    <strong>{ "Flow tests" }</strong>
                    <span class="muted small" data-testid="tests-count">{ match cases.len() {
                        1 => "1 case".to_owned(), n => format!("{n} cases"),
                    } }</span>
                </div>
                <div class="button-row">
                    <button type="button" class="btn small primary" data-testid="tests-run-all"
                        disabled={running.is_some() || cases.is_empty()} onclick={run_all}>
                        { icons::glyph(icons::PLAY) }{ "Run all" }
                    </button>
                    <button type="button" class="btn small" data-testid="tests-export" disabled={props.text.trim().is_empty()}
                        title="Download the test file for flowpen test in CI (its flow: names the exported project file)" onclick={export}>
                        { icons::glyph(icons::DOWNLOAD) }{ "Export .test.yaml" }
                    </button>
                </div>
                <label class="fail-toggle">
                    <input type="checkbox" data-testid="tests-coverage" checked={show_coverage} onchange={toggle_coverage} />
                    { "Show coverage: grey what no case reached" }
                </label>
                <label class="fail-toggle" title="Unstubbed URLs (other than this project's Functions) become real requests">
                    <input type="checkbox" data-testid="tests-network" checked={allow_network} onchange={toggle_network} />
                    { "Allow the network" }
                </label>
                if ran > 0 {
                    <div class={classes!("tests-summary", if failed > 0 { "bad" } else { "ok" })} data-testid="tests-summary">
                        { format!("{} passed, {failed} failed", ran - failed) }
                        if stale { <span class="muted">{ " · the project changed since: run again" }</span> }
                    </div>
                }
            </div>
            if cases.is_empty() && error.is_none() {
                <div class="chat-empty" data-testid="tests-empty">
                    { icons::glyph(icons::LOG) }
                    <strong>{ "No flow tests yet" }</strong>
                    <p>{ "Chat with the flow in the Simulator, then press Save as test: the conversation, with the responses it got as stubs, becomes a case. Or write cases in the test file below (README: Flow tests)." }</p>
                </div>
            }
            <ul class="test-cases">{ for rows }</ul>
            <details class="tests-editor" open={error.is_some() || cases.is_empty()}>
                <summary>{ "The test file (.test.yaml)" }</summary>
                <textarea class="input mono" rows="14" data-testid="tests-text" value={(*props.text).clone()}
                    {oninput} spellcheck="false" aria-label="The flow tests, as YAML"
                    placeholder="tests:\n  - name: …\n    conversation:\n      - contact: hi\n      - flow: \"Hi*\"" />
                if let Some(e) = error {
                    <div class="field-error" data-testid="tests-error" role="alert">{ e }</div>
                }
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SaveAsTestProps {
    pub sim: Sim,
    pub main: Ptr<Flow>,
    pub functions: Ptr<FunctionsProject>,
    pub subflows: Ptr<Vec<Subflow>>,
    pub tests: Ptr<String>,
    pub stubs: Ptr<Vec<WidgetStub>>,
}

/// Names the selected execution's conversation and adds it to the flow tests (replayed first:
/// the notice says whether it passes).
#[function_component(SaveAsTestDialog)]
pub fn save_as_test(props: &SaveAsTestProps) -> Html {
    let dispatch = use_dispatch();
    let count = flowtest::parse(&props.tests).map_or(0, |f| f.cases.len());
    let name = use_state(|| format!("conversation {}", count + 1));
    let problem = use_state(|| None::<String>);
    let execution = props.sim.view(|s| s.selected().map(|e| e.id)).flatten();
    let save = {
        let (sim, dispatch, name, problem) = (
            props.sim.clone(),
            dispatch.clone(),
            name.clone(),
            problem.clone(),
        );
        let (main, functions, subflows, tests, stubs) = (
            props.main.clone(),
            props.functions.clone(),
            props.subflows.clone(),
            props.tests.clone(),
            props.stubs.clone(),
        );
        Callback::from(move |()| {
            let name = name.trim().to_owned();
            if name.is_empty() {
                problem.set(Some("A case needs a name.".into()));
                return;
            }
            let target = Target::from_project(ProjectRef {
                flow: &main,
                functions: &functions,
                subflows: &subflows,
                tests: &tests,
                stubs: &stubs,
            });
            let recorded = sim
                .view(|s| s.selected().map(|e| record_checked(e, &name, &target)))
                .flatten();
            let Some((case, failure)) = recorded else {
                problem.set(Some("There is no execution to save.".into()));
                return;
            };
            match flowtest::add_case(&tests, &case, &project::project_file_name(&main)) {
                Ok(text) => {
                    dispatch.dispatch(Action::SetTests(text));
                    dispatch.dispatch(Action::CloseOverlay);
                    dispatch.dispatch(Action::ShowPanel(Panel::Tests));
                    dispatch.dispatch(Action::Notify {
                        level: if failure.is_some() { Level::Error } else { Level::Info },
                        text: match failure {
                            None => format!("Saved \"{name}\" as a flow test; it passes."),
                            Some(f) => format!("Saved \"{name}\", but replaying it differs: {f}. Edit the case in the Tests panel."),
                        },
                    });
                }
                Err(e) => problem.set(Some(format!(
                    "The test file does not read ({e}): fix it in the Tests panel first."
                ))),
            }
        })
    };
    let onsubmit = {
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            save.emit(());
        })
    };
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(event_value(&e)))
    };
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<web_sys::HtmlInputElement>() {
                let _ = el.focus();
                el.select();
            }
        });
    }
    html! {
        <Modal title="Save as test" testid="save-as-test">
            if execution.is_none() {
                <p class="muted">{ "There is no execution to save: chat with the flow first." }</p>
            } else {
                <form {onsubmit}>
                    <p class="muted small">{ format!("Execution #{} becomes a case of the project's flow tests: what the contact said, what the flow sent, the responses it got (as stubs), how it ended and its path.", execution.unwrap_or_default()) }</p>
                    <label class="field-label" for="save-test-name">{ "Case name" }</label>
                    <input ref={node} id="save-test-name" class="input" data-testid="save-test-name" value={(*name).clone()}
                        {oninput} autocomplete="off" />
                    if let Some(p) = &*problem {
                        <div class="field-error" data-testid="save-test-error" role="alert">{ p }</div>
                    }
                    <div class="button-row end">
                        <button type="button" class="btn" onclick={super::send(&dispatch, Action::CloseOverlay)}>{ "Cancel" }</button>
                        <button type="submit" class="btn primary" data-testid="save-test-save">{ "Save" }</button>
                    </div>
                </form>
            }
        </Modal>
    }
}

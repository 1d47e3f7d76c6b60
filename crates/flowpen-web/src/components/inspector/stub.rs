//! The inspector's Simulator section for a Run Function or Make HTTP Request widget: the real call,
//! or a stubbed response (status, headers, body, a delay, or a network error) that the simulator
//! gives instead. Saved with the project; the rules are `flowpen_playground::editor::debug`'s.

use yew::prelude::*;

use super::fields::event_value;
use crate::components::use_dispatch;
use flowpen_playground::editor::debug::{
    default_stub_response, header_lines, parse_header_lines, parse_whole,
};
use flowpen_playground::editor::Action;
use flowpen_playground::flowtest::StubResponse;
use flowpen_playground::project::WidgetStub;

/// The longest delay a stub may take (a day; from 10 s the request times out anyway).
const MAX_DELAY_MS: u64 = 86_400_000;

#[derive(Properties, PartialEq)]
pub struct StubSectionProps {
    pub index: usize,
    /// The widget's stub, if it has one (on or off).
    pub stub: Option<WidgetStub>,
}

/// Real call or stubbed response. The fields keep what is typed; a value that cannot be used
/// says why and is not applied.
#[function_component(StubSection)]
pub fn stub_section(props: &StubSectionProps) -> Html {
    let dispatch = use_dispatch();
    let index = props.index;
    let on = props.stub.as_ref().is_some_and(|s| s.on);
    let response = props
        .stub
        .as_ref()
        .map(|s| s.response.clone())
        .unwrap_or_else(default_stub_response);
    // Drafts of the fields that are parsed (status, delay, headers).
    let status = use_state(|| response.status.to_string());
    let delay = use_state(|| response.delay_ms.to_string());
    let headers = use_state(|| header_lines(&response.headers));
    let switch = |on: bool| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: Event| dispatch.dispatch(Action::SwitchStub { index, on }))
    };
    // Applies a change to the response (the other fields as they are).
    let set = {
        let (dispatch, response) = (dispatch.clone(), response.clone());
        move |f: Box<dyn Fn(&mut StubResponse)>| {
            let mut r = response.clone();
            f(&mut r);
            dispatch.dispatch(Action::SetStub { index, response: r });
        }
    };
    let status_problem = parse_whole(&status, 100, 999).err();
    let delay_problem = parse_whole(&delay, 0, MAX_DELAY_MS).err();
    let headers_problem = parse_header_lines(&headers).err();
    let on_status = {
        let (set, status) = (set.clone(), status.clone());
        Callback::from(move |e: InputEvent| {
            let text = event_value(&e);
            if let Ok(v) = parse_whole(&text, 100, 999) {
                set(Box::new(move |r| r.status = v as u16));
            }
            status.set(text);
        })
    };
    let on_delay = {
        let (set, delay) = (set.clone(), delay.clone());
        Callback::from(move |e: InputEvent| {
            let text = event_value(&e);
            if let Ok(v) = parse_whole(&text, 0, MAX_DELAY_MS) {
                set(Box::new(move |r| r.delay_ms = v));
            }
            delay.set(text);
        })
    };
    let on_headers = {
        let (set, headers) = (set.clone(), headers.clone());
        Callback::from(move |e: InputEvent| {
            let text = event_value(&e);
            if let Ok(h) = parse_header_lines(&text) {
                set(Box::new(move |r| r.headers = h.clone()));
            }
            headers.set(text);
        })
    };
    let on_body = {
        let set = set.clone();
        Callback::from(move |e: InputEvent| {
            let text = event_value(&e);
            set(Box::new(move |r| r.body = text.clone()));
        })
    };
    let on_error = {
        let set = set.clone();
        Callback::from(move |e: InputEvent| {
            let text = event_value(&e);
            set(Box::new(move |r| {
                r.error = (!text.trim().is_empty()).then(|| text.clone())
            }));
        })
    };
    let problem = |p: Option<String>, testid: &'static str| {
        p.map(|p| html! { <div class="field-error" data-testid={testid} role="alert">{ p }</div> })
    };
    let times_out = parse_whole(&delay, 0, MAX_DELAY_MS).is_ok_and(|d| d >= 10_000);
    html! {
        <section class="section stub-section" data-testid="stub-section">
            <h3>{ "In the simulator" }</h3>
            <div class="stub-switch" role="radiogroup" aria-label="What answers this widget in the simulator">
                <label>
                    <input type="radio" name={format!("stub-{index}")} data-testid="stub-real"
                        checked={!on} onchange={switch(false)} />
                    { "The real call" }
                </label>
                <label>
                    <input type="radio" name={format!("stub-{index}")} data-testid="stub-on"
                        checked={on} onchange={switch(true)} />
                    { "A stubbed response" }
                </label>
            </div>
            if on {
                <div class="stub-grid">
                    <div class="field">
                        <label for="stub-status">{ "Status" }</label>
                        <input id="stub-status" class="input" type="number" data-testid="stub-status"
                            value={(*status).clone()} oninput={on_status} />
                        { for problem(status_problem, "stub-status-error") }
                    </div>
                    <div class="field">
                        <label for="stub-delay">{ "Delay (ms)" }</label>
                        <input id="stub-delay" class="input" type="number" data-testid="stub-delay"
                            value={(*delay).clone()} oninput={on_delay} />
                        { for problem(delay_problem, "stub-delay-error") }
                    </div>
                </div>
                if times_out {
                    <div class="field-hint" data-testid="stub-timeout-hint">
                        { "10,000 ms or more: the request times out (Studio waits 10 s), and the widget takes its Fail transition." }
                    </div>
                }
                <div class="field">
                    <label for="stub-headers">{ "Headers (Name: value per line)" }</label>
                    <textarea id="stub-headers" class="input mono" rows="2" data-testid="stub-headers"
                        value={(*headers).clone()} oninput={on_headers} spellcheck="false" />
                    { for problem(headers_problem, "stub-headers-error") }
                </div>
                <div class="field">
                    <label for="stub-body">{ "Body" }</label>
                    <textarea id="stub-body" class="input mono" rows="4" data-testid="stub-body"
                        value={response.body.clone()} oninput={on_body} spellcheck="false" />
                </div>
                <div class="field">
                    <label for="stub-error">{ "Network error instead (optional)" }</label>
                    <input id="stub-error" class="input" data-testid="stub-error" placeholder="connection refused"
                        value={response.error.clone().unwrap_or_default()} oninput={on_error} autocomplete="off" />
                </div>
                <p class="field-hint">{ "The simulator answers with this instead of calling; the execution log marks the response as stubbed. Flow tests use the same stubs." }</p>
            } else {
                <p class="field-hint">{ "The simulator makes the call. Choose a stubbed response to try the widget's other transitions without the real service." }</p>
            }
        </section>
    }
}

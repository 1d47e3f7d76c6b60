//! The simulator panel: the conversation as the contact sees it (the first message starts the
//! flow), the controls of the execution (restart, stop, skip wait, make the next message fail)
//! and the REST API trigger form. Every text is rendered as text.

use flowpen_engine::Status;
use web_sys::Element;
use yew::prelude::*;

use super::call::{call_controls, speak_new, voice_bubble, StartOptions};
use super::debug::{paused_bar, PausedBarProps};
use super::icons;
use super::inspector::fields::event_value;
use crate::hooks::Sim;
use flowpen_playground::editor::{Action, Overlay};
use flowpen_playground::simulator::{parse_parameters, Bubble, Tone, CONTACT, FLOW_ADDRESS};

#[derive(Properties, PartialEq)]
pub struct ChatPanelProps {
    pub sim: Sim,
    /// The flow was edited since the active execution started.
    pub flow_rev: u64,
    pub hidden: bool,
}

/// A media URL as the chat shows it: an image (with a link) for `http(s)` URLs, an image for
/// `data:image/` URLs, and text only for anything else (never a `javascript:` link).
fn media(url: &str) -> Html {
    let lower = url.trim().to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    if web || lower.starts_with("data:image/") {
        html! {
            <div class="chat-media" data-testid="chat-media">
                <img src={url.to_owned()} alt="Media sent by the flow" loading="lazy" />
                if web {
                    <a href={url.to_owned()} target="_blank" rel="noopener noreferrer">{ url }</a>
                } else {
                    <span class="muted small">{ "image (data: URL)" }</span>
                }
            </div>
        }
    } else {
        html! { <div class="chat-media muted small" data-testid="chat-media">{ format!("Media: {url}") }</div> }
    }
}

fn bubble(b: &Bubble) -> Html {
    if let Some(voice) = voice_bubble(b) {
        return voice;
    }
    match b {
        Bubble::Contact { text, note, .. } => html! {
            <div class={classes!("bubble", "contact", note.is_some().then_some("undelivered"))}
                data-testid="chat-bubble" data-from="contact">
                <div class="bubble-text">{ text }</div>
                if let Some(n) = note {
                    <div class="bubble-note" data-testid="chat-note">{ n }</div>
                }
            </div>
        },
        Bubble::Flow {
            widget,
            text,
            media: m,
            failed,
            ..
        } => html! {
            <div class={classes!("bubble", "flow", failed.then_some("failed"))}
                data-testid="chat-bubble" data-from="flow" data-widget={widget.clone()}>
                <div class="bubble-widget">{ widget }</div>
                <div class="bubble-text">{ text }</div>
                { for m.as_deref().map(media) }
                if *failed {
                    <div class="bubble-note">{ "Not delivered (simulated failure)" }</div>
                }
            </div>
        },
        Bubble::Event { text, tone } => html! {
            <div class={classes!("chat-event", match tone {
                    Tone::Info => "event-info", Tone::Ended => "event-ended", Tone::Problem => "event-problem" })}
                data-testid="chat-bubble" data-from="event">{ text }</div>
        },
        // Calls' bubbles are drawn by voice_bubble.
        _ => Html::default(),
    }
}

/// The right-hand Simulator panel.
#[function_component(ChatPanel)]
pub fn chat_panel(props: &ChatPanelProps) -> Html {
    let sim = &props.sim;
    let dispatch = super::use_dispatch();
    let draft = use_state(String::new);
    let log = use_node_ref();
    let read_aloud = use_state(|| false);
    let spoken = use_mut_ref(|| 0usize);
    // Reads the flow's new speech aloud when the user turned it on (never by default).
    {
        let (sim, read_aloud, spoken) = (sim.clone(), *read_aloud, spoken.clone());
        use_effect_with((sim.rev, read_aloud), move |_| {
            let count = sim
                .view(|s| {
                    let all: Vec<&Bubble> =
                        s.executions().iter().flat_map(|e| e.chat.iter()).collect();
                    if read_aloud {
                        speak_new(&all, *spoken.borrow())
                    } else {
                        all.len()
                    }
                })
                .unwrap_or(0);
            *spoken.borrow_mut() = count;
        });
    }
    // Keep the newest bubble in view.
    {
        let log = log.clone();
        use_effect_with(sim.rev, move |_| {
            if let Some(el) = log.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let send = {
        let (sim, draft) = (sim.clone(), draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = (*draft).clone();
            if !text.trim().is_empty() {
                sim.chat(text);
                draft.set(String::new());
            }
        })
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(event_value(&e)))
    };
    let info = sim
        .view(|s| {
            let active = s.active();
            let waiting_reply = active.is_some_and(|e| {
                matches!(
                    e.status(),
                    Status::WaitingForReply { .. }
                        | Status::Gathering { .. }
                        | Status::Recording { .. }
                        | Status::WaitingForExternal {
                            deadline_ms: Some(_),
                            ..
                        }
                ) || e.waits_for_stub()
            });
            let on_call = active.is_some_and(|e| e.on_call());
            let status = match (active, s.executions().last()) {
                (Some(e), _) => format!("Execution #{}: {}", e.id, e.status_text()),
                (None, Some(e)) => format!(
                    "Execution #{} {}. Write again to start a new one.",
                    e.id,
                    e.status_text()
                ),
                (None, None) => String::new(),
            };
            let stale = active.is_some_and(|e| e.flow_rev != props.flow_rev);
            let bubbles: Vec<Html> = s
                .executions()
                .iter()
                .flat_map(|e| e.chat.iter().map(bubble))
                .collect();
            (
                (active.is_some(), on_call),
                waiting_reply,
                status,
                stale,
                bubbles,
                s.fail_next_send(),
                !s.executions().is_empty(),
            )
        })
        .unwrap_or_default();
    let ((active, on_call), waiting_reply, status, stale, bubbles, fail_next, any) = info;
    let toggle_read_aloud = {
        let read_aloud = read_aloud.clone();
        Callback::from(move |_: Event| read_aloud.set(!*read_aloud))
    };
    let restart = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.restart())
    };
    let stop = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.stop())
    };
    let skip = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.skip_wait())
    };
    let toggle_fail = {
        let sim = sim.clone();
        Callback::from(move |_: Event| sim.set_fail_next_send(!fail_next))
    };
    let clear = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.clear())
    };
    html! {
        <section class="side-panel chat-panel" data-testid="simulator" data-own-keys="true" aria-label="Simulator" hidden={props.hidden}>
            <div class="chat-head">
                <div class="chat-parties">
                    <span class="party" title="The contact (you)">{ CONTACT }</span>
                    <span class="muted">{ "→" }</span>
                    <span class="party" title="The flow's number">{ FLOW_ADDRESS }</span>
                </div>
                <div class="chat-controls" role="group" aria-label="Execution">
                    <button type="button" class="btn small" data-testid="sim-restart" disabled={!any}
                        title="Start a new execution with the same trigger" onclick={restart}>
                        { icons::glyph(icons::RESTART) }{ "Restart" }
                    </button>
                    <button type="button" class="btn small" data-testid="sim-stop" disabled={!active}
                        title="Stop the execution" onclick={stop}>
                        { icons::glyph(icons::STOP) }{ "Stop" }
                    </button>
                    <button type="button" class="btn small" data-testid="sim-save-test" disabled={!any}
                        title="Keep the selected execution's conversation as a flow test (Tests panel)"
                        onclick={super::send(&dispatch, Action::ShowOverlay(Overlay::SaveAsTest))}>
                        { icons::glyph(icons::LOG) }{ "Save as test" }
                    </button>
                    <button type="button" class="btn small" data-testid="sim-skip-wait" disabled={!waiting_reply}
                        title="Fire the waiting widget's timeout now (Send & Wait For Reply, Gather, Record, an outside wait, a stubbed request)" onclick={skip}>
                        { icons::glyph(icons::SKIP) }{ "Skip wait" }
                    </button>
                </div>
                <div class="sim-toggles">
                    <label class="fail-toggle" title="The next message the flow sends fails (Send Message → Failed, Send & Wait → Delivery Failure)">
                        <input type="checkbox" data-testid="sim-fail-next" checked={fail_next} onchange={toggle_fail} />
                        { "Next message fails to send" }
                    </label>
                    <label class="fail-toggle" title="Read the flow's Say text aloud with the browser's speech synthesis">
                        <input type="checkbox" data-testid="sim-read-aloud" checked={*read_aloud} onchange={toggle_read_aloud} />
                        { "Read speech aloud" }
                    </label>
                </div>
                if !status.is_empty() {
                    <div class="chat-status" data-testid="sim-status">
                        <span>{ status }</span>
                        if !active && any {
                            <button type="button" class="link small" data-testid="sim-clear" onclick={clear}>{ "Clear" }</button>
                        }
                    </div>
                }
                if stale {
                    <div class="chat-stale" data-testid="sim-stale">
                        { "The flow was edited after this execution started; it still runs the flow as it was. Restart to run the new one." }
                    </div>
                }
            </div>
            <div class="chat-log" ref={log} data-testid="chat" aria-live="polite">
                if bubbles.is_empty() {
                    <div class="chat-empty">
                        { icons::glyph(icons::CHAT) }
                        <strong>{ "Chat with your flow, or call it" }</strong>
                        <p>{ "You are the contact. Your first message is the incoming message that triggers the flow; Incoming call starts it with a call instead. The flow's messages and speech appear here as it runs, and the canvas shows the path it takes." }</p>
                    </div>
                }
                { for bubbles }
            </div>
            { paused_bar(&dispatch, &PausedBarProps { sim: sim.clone() }) }
            { call_controls(sim) }
            if !on_call {
            <form class="chat-compose" onsubmit={send}>
                <input class="input" data-testid="chat-input" value={(*draft).clone()} {oninput}
                    placeholder={if active { "Reply as the contact…" } else { "Write a message to start the flow…" }}
                    aria-label="Message from the contact" autocomplete="off" />
                <button type="submit" class="btn primary" data-testid="chat-send" disabled={draft.trim().is_empty()}
                    aria-label="Send">{ icons::glyph(icons::SEND) }</button>
            </form>
            }
            if !active {
                <StartOptions sim={sim.clone()} />
            }
            <RestForm sim={sim.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RestFormProps {
    sim: Sim,
}

/// Starts an execution as Studio's REST API does: `To` is the contact, `From` the flow's number,
/// `Parameters` become `flow.data`.
#[function_component(RestForm)]
fn rest_form(props: &RestFormProps) -> Html {
    let from = use_state(|| FLOW_ADDRESS.to_owned());
    let to = use_state(|| CONTACT.to_owned());
    let params = use_state(|| "{\n  \"order\": \"A-17\"\n}".to_owned());
    let problem = parse_parameters(&params).err();
    let set = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(event_value(&e)))
    };
    let start = {
        let (sim, from, to, params) = (props.sim.clone(), from.clone(), to.clone(), params.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(p) = parse_parameters(&params) {
                sim.rest((*from).trim().to_owned(), (*to).trim().to_owned(), p);
            }
        })
    };
    html! {
        <details class="rest-form" data-testid="rest-form">
            <summary>{ "Start with a REST API request" }</summary>
            <form onsubmit={start}>
                <div class="rest-grid">
                    <label for="rest-from">{ "From (the flow)" }</label>
                    <input id="rest-from" class="input" data-testid="rest-from" value={(*from).clone()} oninput={set(&from)} autocomplete="off" />
                    <label for="rest-to">{ "To (the contact)" }</label>
                    <input id="rest-to" class="input" data-testid="rest-to" value={(*to).clone()} oninput={set(&to)} autocomplete="off" />
                </div>
                <label class="field-label" for="rest-parameters">{ "Parameters (JSON → flow.data)" }</label>
                <textarea id="rest-parameters" class="input mono" rows="4" data-testid="rest-parameters"
                    value={(*params).clone()} oninput={set(&params)} spellcheck="false" />
                if let Some(p) = problem.clone() {
                    <div class="field-error" data-testid="rest-error" role="alert">{ p.to_string() }</div>
                }
                <div class="button-row end">
                    <button type="submit" class="btn primary small" data-testid="rest-start" disabled={problem.is_some()}>
                        { icons::glyph(icons::PLAY) }{ "Start execution" }
                    </button>
                </div>
            </form>
        </details>
    }
}

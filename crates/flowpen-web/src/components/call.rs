//! The simulator's call: how the flow's speech, audio and tones look in the conversation, the
//! caller's controls (a keypad, speech, a voicemail, hanging up), the outside world's answers to
//! the widgets that wait for it, and the other ways to start an execution (an incoming call, a
//! Conversations message, a subflow start). Audio never plays by itself, and every text is
//! rendered as text.

use flowpen_engine::Trigger;
use flowpen_engine::{ExternalRequest, GatherRequest, InboundCall, InboundMessage, SubflowStart};
use flowpen_playground::simulator::{
    parse_parameters, Bubble, CallerInput, Origin, Wait, CONTACT, FLOW_ADDRESS,
};
use serde_json::Value;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::icons;
use super::inspector::fields::event_value;
use crate::hooks::Sim;

/// The keys of a phone's keypad, in its order.
const KEYPAD: [char; 12] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/// The confidence a typed utterance gets (Twilio reports 0 to 1).
const DEFAULT_CONFIDENCE: f64 = 0.92;

/// A call's bubble (the flow's speech, audio and tones; the caller's actions), or `None` for the
/// other kinds.
pub fn voice_bubble(b: &Bubble) -> Option<Html> {
    let loops = |n: u32| (n > 1).then(|| format!(" ×{n}"));
    Some(match b {
        Bubble::Say {
            widget,
            text,
            voice,
            language,
            loops: n,
            ..
        } => {
            let how: Vec<&str> = [voice.as_deref(), language.as_deref()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect();
            html! {
                <div class="bubble flow voice" data-testid="chat-bubble" data-from="flow" data-kind="say"
                    data-widget={widget.clone()}>
                    <div class="bubble-widget">{ icons::glyph(icons::SPEAK) }{ widget }
                        if !how.is_empty() { <span class="bubble-meta">{ how.join(" · ") }</span> }
                        if let Some(l) = loops(*n) { <span class="bubble-meta">{ l }</span> }
                    </div>
                    <div class="bubble-text">{ text }</div>
                </div>
            }
        }
        Bubble::Play {
            widget,
            url,
            loops: n,
            ..
        } => {
            let lower = url.trim().to_ascii_lowercase();
            let web = lower.starts_with("https://") || lower.starts_with("http://");
            html! {
                <div class="bubble flow voice" data-testid="chat-bubble" data-from="flow" data-kind="play"
                    data-widget={widget.clone()}>
                    <div class="bubble-widget">{ icons::glyph(icons::PLAY) }{ widget }
                        if let Some(l) = loops(*n) { <span class="bubble-meta">{ l }</span> }
                    </div>
                    if web {
                        // Never autoplay: the user starts it.
                        <audio controls=true preload="none" src={url.clone()} data-testid="chat-audio"></audio>
                    }
                    <div class="bubble-text mono small">{ url }</div>
                </div>
            }
        }
        Bubble::Tones { widget, digits, .. } => html! {
            <div class="bubble flow voice" data-testid="chat-bubble" data-from="flow" data-kind="digits"
                data-widget={widget.clone()}>
                <div class="bubble-widget">{ widget }</div>
                <div class="bubble-text mono">{ format!("Tones: {digits}") }</div>
            </div>
        },
        Bubble::Caller { input, note, .. } => {
            let (kind, text) = match input {
                CallerInput::Keys(k) => ("keys", format!("Pressed {k}")),
                CallerInput::Speech { text, confidence } => (
                    "speech",
                    format!("Said “{text}” ({:.0}% sure)", confidence * 100.0),
                ),
                CallerInput::Recording(t) => ("recording", format!("Recorded: “{t}”")),
                CallerInput::HangUp => ("hangup", "Hung up".to_owned()),
                CallerInput::Outcome { widget, event } => {
                    ("outcome", format!("{widget} → {event}"))
                }
            };
            let from = if matches!(input, CallerInput::Outcome { .. }) {
                "world"
            } else {
                "contact"
            };
            html! {
                <div class={classes!("bubble", "contact", "voice", note.is_some().then_some("undelivered"))}
                    data-testid="chat-bubble" data-from={from} data-kind={kind}>
                    <div class="bubble-text">{ text }</div>
                    if let Some(n) = note {
                        <div class="bubble-note" data-testid="chat-note">{ n }</div>
                    }
                </div>
            }
        }
        _ => return None,
    })
}

/// The caller's controls while the active execution is on a call, and the outside world's answers
/// whenever a widget waits for them. A plain function, not a component (it has no hooks, and a
/// Yew component costs code of its own in the wasm): it renders with the chat panel.
pub fn call_controls(sim: &Sim) -> Html {
    let (on_call, wait) = sim
        .view(|s| {
            s.active()
                .map(|e| (e.on_call(), e.waiting()))
                .unwrap_or((false, Wait::Nothing))
        })
        .unwrap_or((false, Wait::Nothing));
    let hang_up = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.caller(CallerInput::HangUp))
    };
    let world = match &wait {
        Wait::External(x) => html! { <ExternalAnswers sim={sim.clone()} request={x.clone()} /> },
        _ => Html::default(),
    };
    if !on_call {
        return world;
    }
    let waiting = match &wait {
        Wait::Gather { request, digits } => gather_hint(request, digits),
        Wait::Record(r) => format!("{} is recording: leave your voicemail.", r.widget),
        Wait::External(x) => format!("{} waits for the outside world.", x.widget),
        _ => "The flow is talking.".to_owned(),
    };
    let speech_ok = matches!(&wait, Wait::Gather { request, .. } if request.speech.is_some());
    html! {
        <div class="call-controls" data-testid="call-controls" role="group" aria-label="The call">
            <div class="call-status" data-testid="call-status">
                <span class="call-dot" aria-hidden="true"></span>
                <span>{ waiting }</span>
                <button type="button" class="btn small danger" data-testid="sim-hangup" onclick={hang_up}>
                    { icons::glyph(icons::HANG_UP) }{ "Hang up" }
                </button>
            </div>
            if matches!(wait, Wait::Gather { .. }) {
                { keypad(sim) }
                <SpeechBox sim={sim.clone()} enabled={speech_ok} />
            }
            if let Wait::Record(_) = &wait {
                <RecordBox sim={sim.clone()} />
            }
            { world }
        </div>
    }
}

/// What a Gather waits for, in a sentence.
fn gather_hint(g: &GatherRequest, digits: &str) -> String {
    let mut s = format!("{} waits for keys", g.widget);
    if g.speech.is_some() {
        s.push_str(" or speech");
    }
    if let Some(k) = g.finish_on_key {
        s.push_str(&format!(" ({k} ends the keys)"));
    }
    if let Some(n) = g.number_of_digits {
        s.push_str(&format!(" ({n} digit{})", if n == 1 { "" } else { "s" }));
    }
    if g.finish_on_key.is_none() && g.number_of_digits.is_none() {
        s.push_str(&format!(
            "; keys go to the flow {} s after the last one (Skip wait sends them now)",
            g.timeout_s
        ));
    }
    if !digits.is_empty() {
        s.push_str(&format!("; pressed so far: {digits}"));
    }
    s.push('.');
    s
}

#[derive(Properties, PartialEq)]
pub struct SimProps {
    pub sim: Sim,
}

/// A phone keypad: each key is sent as the caller presses it (mouse, or the keyboard's digits,
/// `*` and `#` while the keypad has the focus). A plain function, as `call_controls`.
fn keypad(sim: &Sim) -> Html {
    let press = |k: char| {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.caller(CallerInput::Keys(k.to_string())))
    };
    let onkeydown = {
        let sim = sim.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let mut chars = key.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if KEYPAD.contains(&c) && !e.ctrl_key() && !e.meta_key() && !e.alt_key() {
                    e.prevent_default();
                    sim.caller(CallerInput::Keys(c.to_string()));
                }
            }
        })
    };
    html! {
        <div class="keypad" data-testid="keypad" role="group" aria-label="Keypad (type digits, * or # while it has the focus)"
            tabindex="0" {onkeydown}>
            { for KEYPAD.iter().map(|&k| html! {
                <button type="button" class="key" data-testid={format!("key-{}", key_name(k))}
                    aria-label={format!("Key {k}")} onclick={press(k)}>{ k }</button>
            }) }
        </div>
    }
}

/// A key's name in a test id (`key-star`, `key-hash`).
fn key_name(k: char) -> String {
    match k {
        '*' => "star".to_owned(),
        '#' => "hash".to_owned(),
        other => other.to_string(),
    }
}

#[derive(Properties, PartialEq)]
struct SpeechBoxProps {
    sim: Sim,
    enabled: bool,
}

/// What the caller says (speech recognition's result), with its confidence.
#[function_component(SpeechBox)]
fn speech_box(props: &SpeechBoxProps) -> Html {
    let text = use_state(String::new);
    let confidence = use_state(|| format!("{DEFAULT_CONFIDENCE}"));
    let onsubmit = {
        let (sim, text, confidence) = (props.sim.clone(), text.clone(), confidence.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let said = text.trim().to_owned();
            if said.is_empty() {
                return;
            }
            let c = confidence
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|c| (0.0..=1.0).contains(c))
                .unwrap_or(DEFAULT_CONFIDENCE);
            sim.caller(CallerInput::Speech {
                text: said,
                confidence: c,
            });
            text.set(String::new());
        })
    };
    let set = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(event_value(&e)))
    };
    let title = if props.enabled {
        "What the caller says (speech recognition's text)"
    } else {
        "This Gather does not listen for speech (its \"User Said Something\" port leads nowhere)"
    };
    html! {
        <form class="speech-box" {onsubmit} title={title}>
            <input class="input" data-testid="speech-input" value={(*text).clone()} oninput={set(&text)}
                placeholder="Say something…" aria-label="What the caller says" autocomplete="off"
                disabled={!props.enabled} />
            <input class="input confidence" type="number" min="0" max="1" step="0.01" data-testid="speech-confidence"
                value={(*confidence).clone()} oninput={set(&confidence)} aria-label="Confidence (0 to 1)"
                disabled={!props.enabled} />
            <button type="submit" class="btn small" data-testid="speech-send"
                disabled={!props.enabled || text.trim().is_empty()}>{ "Say" }</button>
        </form>
    }
}

/// The caller's voicemail (text stands in for the recording).
#[function_component(RecordBox)]
fn record_box(props: &SimProps) -> Html {
    let text = use_state(String::new);
    let onsubmit = {
        let (sim, text) = (props.sim.clone(), text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            sim.caller(CallerInput::Recording(text.trim().to_owned()));
            text.set(String::new());
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(event_value(&e)))
    };
    html! {
        <form class="record-box" {onsubmit}>
            <textarea class="input" rows="2" data-testid="record-input" value={(*text).clone()} {oninput}
                placeholder="What you say in the voicemail (leave it empty for silence)…" aria-label="The voicemail" />
            <button type="submit" class="btn small" data-testid="record-send">{ "Leave the voicemail" }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ExternalProps {
    sim: Sim,
    request: ExternalRequest,
}

/// The outside world's answers to a waiting widget: one button per event it can end with, and
/// the variables the chosen event sets, editable before sending.
#[function_component(ExternalAnswers)]
fn external_answers(props: &ExternalProps) -> Html {
    let x = &props.request;
    let chosen = use_state(|| 0usize);
    let chosen_index = (*chosen).min(x.events.len().saturating_sub(1));
    let defaults = x
        .events
        .get(chosen_index)
        .map(|e| {
            let o: serde_json::Map<String, Value> = e.variables.iter().cloned().collect();
            super::debug::pretty(&Value::Object(o))
        })
        .unwrap_or_default();
    let draft = use_state(|| None::<String>);
    {
        // A new wait or another event starts from that event's defaults.
        let draft = draft.clone();
        use_effect_with((x.id, chosen_index), move |_| draft.set(None));
    }
    let text = (*draft).clone().unwrap_or(defaults);
    let parsed = parse_parameters(&text);
    let pick = |i: usize| {
        let chosen = chosen.clone();
        Callback::from(move |_: Event| chosen.set(i))
    };
    let send = {
        let (sim, events) = (props.sim.clone(), x.events.clone());
        let vars = parsed.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(e), Ok(Value::Object(v))) = (events.get(chosen_index), &vars) {
                sim.answer_external(e.event.clone(), v.clone().into_iter().collect());
            }
        })
    };
    let quick = |event: String| {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| sim.answer_external(event.clone(), Vec::new()))
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(Some(event_value(&e))))
    };
    html! {
        <div class="external" data-testid="external" data-widget={x.widget.clone()}>
            <div class="external-head">
                <strong>{ &x.widget }</strong>
                <span class="muted">{ format!(" ({})", x.widget_type) }</span>
            </div>
            <p class="external-summary">{ &x.summary }</p>
            if !x.details.is_empty() {
                <dl class="external-details">
                    { for x.details.iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                </dl>
            }
            <div class="external-events" role="group" aria-label="How the outside world answers">
                { for x.events.iter().map(|e| html! {
                    <button type="button" class="btn small" data-testid={format!("external-{}", e.event)}
                        title={format!("Answer with {} ({}), with its default variables", e.label, e.event)}
                        onclick={quick(e.event.clone())}>{ &e.label }</button>
                }) }
            </div>
            <details class="external-vars">
                <summary>{ "Choose the variables it sets" }</summary>
                <div class="external-choice">
                    { for x.events.iter().enumerate().map(|(i, e)| html! {
                        <label class="radio">
                            <input type="radio" name={format!("external-{}", x.id.0)} checked={i == chosen_index}
                                onchange={pick(i)} data-testid={format!("external-pick-{}", e.event)} />
                            { &e.label }
                        </label>
                    }) }
                </div>
                <textarea class="input mono" rows="5" data-testid="external-variables" value={text}
                    {oninput} spellcheck="false" aria-label="The variables (JSON object)" />
                if let Err(p) = &parsed {
                    <div class="field-error" role="alert">{ p.to_string().replace("Parameters", "The variables") }</div>
                }
                <div class="button-row end">
                    <button type="button" class="btn primary small" data-testid="external-send"
                        disabled={parsed.is_err() || x.events.is_empty()} onclick={send}>
                        { x.events.get(chosen_index).map_or_else(String::new, |e| format!("Answer: {}", e.label)) }
                    </button>
                </div>
            </details>
        </div>
    }
}

/// The other ways to start an execution: an incoming call, a Conversations message, a subflow
/// start (the chat's first message is an incoming message; the REST form is below).
#[function_component(StartOptions)]
pub fn start_options(props: &SimProps) -> Html {
    let call = {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| {
            sim.start(
                Trigger::Call(InboundCall {
                    from: CONTACT.to_owned(),
                    to: FLOW_ADDRESS.to_owned(),
                    parameters: Vec::new(),
                }),
                Origin::Call,
            )
        })
    };
    let conversation = use_state(|| "Hello".to_owned());
    let start_conversation = {
        let (sim, text) = (props.sim.clone(), conversation.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            sim.start(
                Trigger::Conversation(InboundMessage {
                    from: CONTACT.to_owned(),
                    to: FLOW_ADDRESS.to_owned(),
                    body: (*text).clone(),
                    media_urls: Vec::new(),
                }),
                Origin::Conversation,
            )
        })
    };
    let parameters = use_state(|| "{\n  \"name\": \"Ada\"\n}".to_owned());
    let problem = parse_parameters(&parameters).err();
    let start_subflow = {
        let (sim, parameters) = (props.sim.clone(), parameters.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(p) = parse_parameters(&parameters) {
                sim.start(
                    Trigger::Subflow(SubflowStart {
                        contact: CONTACT.to_owned(),
                        flow_address: FLOW_ADDRESS.to_owned(),
                        parameters: p,
                        parent_trigger: Value::Object(serde_json::Map::new()),
                    }),
                    Origin::Subflow,
                )
            }
        })
    };
    let set = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(event_value(&e)))
    };
    html! {
        <div class="start-options">
            <button type="button" class="btn" data-testid="sim-call" onclick={call}
                title="Start the flow with an incoming call (the Trigger's Incoming Call)">
                { icons::glyph(icons::PHONE) }{ "Incoming call" }
            </button>
            <details class="rest-form" data-testid="conversation-form">
                <summary>{ "Start with a Conversations message" }</summary>
                <form onsubmit={start_conversation}>
                    <input class="input" data-testid="conversation-body" value={(*conversation).clone()}
                        oninput={set(&conversation)} aria-label="The first message of the conversation" />
                    <div class="button-row end">
                        <button type="submit" class="btn primary small" data-testid="conversation-start">
                            { icons::glyph(icons::PLAY) }{ "Start execution" }
                        </button>
                    </div>
                </form>
            </details>
            <details class="rest-form" data-testid="subflow-form">
                <summary>{ "Start as a subflow" }</summary>
                <form onsubmit={start_subflow}>
                    <label class="field-label" for="subflow-parameters">{ "Parameters (JSON → trigger.parent.parameters)" }</label>
                    <textarea id="subflow-parameters" class="input mono" rows="3" data-testid="subflow-parameters"
                        value={(*parameters).clone()} oninput={set(&parameters)} spellcheck="false" />
                    if let Some(p) = &problem {
                        <div class="field-error" role="alert">{ p.to_string() }</div>
                    }
                    <div class="button-row end">
                        <button type="submit" class="btn primary small" data-testid="subflow-start" disabled={problem.is_some()}>
                            { icons::glyph(icons::PLAY) }{ "Start execution" }
                        </button>
                    </div>
                </form>
            </details>
        </div>
    }
}

/// Reads the flow's new Say bubbles aloud with the browser's speech synthesis (when the user turned
/// it on), from `from` on; returns how many bubbles there are now.
pub fn speak_new(bubbles: &[&Bubble], from: usize) -> usize {
    let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) else {
        return bubbles.len();
    };
    for b in bubbles.iter().skip(from) {
        if let Bubble::Say { text, language, .. } = b {
            if let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
                if let Some(lang) = language.as_deref().filter(|l| !l.trim().is_empty()) {
                    u.set_lang(lang);
                }
                synth.speak(&u);
            }
        }
    }
    bubbles.len()
}

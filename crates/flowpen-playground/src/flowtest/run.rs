//! The runner: one case drives one execution of the engine with its script, its stubs and a
//! virtual clock. It is sans-IO like the simulator: it cannot run JavaScript or reach the network,
//! so a request that needs either (a project Function without a stub, or any URL when the run
//! allows the network) is handed to the shell ([`Progress::Request`]) and the run waits for
//! [`CaseRun::answer`]. Everything else takes no real time: waits and timeouts move the clock.
//!
//! Rules (where Studio is silent, decided here and documented in the README):
//! - Output (a message, speech, a played file, a Gather's prompt) queues until a `flow:` step
//!   takes it, in order. Any other step first requires the queue to be empty: a message nobody
//!   expects fails the case, and so does one left over at the end.
//! - A message is delivered when its `flow:` step matches (or fails to send, with `fail: true`);
//!   Say/Play's audio finishes when its step matches. So a caller's `hangup` reaches the next
//!   widget that waits.
//! - Requests resolve in the widget's own step: a stub answers after its `delay_ms` (virtual); at
//!   or past the request's limit the request times out. A stub list gives one response per call,
//!   the last repeating. A URL matches a stub exactly, else without its query string.
//! - `timeout` jumps to the deadline of what waits; `wait` moves the clock and fires every
//!   deadline that falls within it. Inputs take no time.

use std::collections::VecDeque;
use std::rc::Rc;

use flowpen_engine::{
    Config, Effect, EndReason, Engine, ExternalOutcome, HttpRequest, HttpResponse, InboundCall,
    InboundMessage, Input, InputError, MessageId, Recording, RecordingEnd, Status, SubflowStart,
    Subflows, TransportError, Trigger, WaitId,
};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use serde_json::{json, Value};

use super::check::{
    describe_expect, describe_value, lookup, output_matches, path_difference, status_matches,
    value_matches,
};
use super::error::{Failure, FailureKind};
use super::model::{Action, Case, Place, RecordEnd, Start, Stubs, TestFile};
use super::result::{AnsweredBy, CaseResult, Line, Output, WaitingAt};
use super::target::Target;
use super::time::format_duration;
use super::DEFAULT_TIME_MS;
use crate::functions::{FakeFetchResponse, InvokeOptions, LogLine, DEFAULT_TIMEOUT_MS};
use crate::project::functions::{is_function_url, url_path, FunctionsProject};
use crate::simulator::{ById, CONTACT, FLOW_ADDRESS, SIMULATED_FAILURE};

/// How a run may reach outside the runner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Unstubbed URLs (other than project Functions) become real requests, under Studio's rules.
    pub allow_network: bool,
    /// An execution driven by inputs rather than a test (the npm package's `run`): every output
    /// is delivered as soon as the flow sends it (a Send Message is sent, Say/Play's audio ends)
    /// and kept in the transcript, no `flow:` step is needed (one is skipped), and `expect` is not
    /// checked. Only an input the execution does not take, or a request nobody answers, fails.
    pub drive: bool,
}

/// What the shell must do for a run.
#[derive(Clone, Debug, PartialEq)]
pub enum ShellRequest {
    /// Run the project's Function that serves the request's path (the browser's Functions host,
    /// the CLI's Node runner) with these options: a 10 s limit, and unless the run allows the
    /// network, the case's stubs as the Function's `fetch` answers (`fake_fetch`).
    Function {
        request: HttpRequest,
        options: InvokeOptions,
    },
    /// Perform the request for real (Studio's rules: the request's time and size limits).
    Network { request: HttpRequest },
}

impl ShellRequest {
    pub fn request(&self) -> &HttpRequest {
        match self {
            ShellRequest::Function { request, .. } | ShellRequest::Network { request } => request,
        }
    }
}

/// The shell's answer to a [`ShellRequest`].
#[derive(Clone, Debug, PartialEq)]
pub enum ShellAnswer {
    /// The response (or why there is none), and a Function's console output.
    Response {
        result: Result<HttpResponse, TransportError>,
        logs: Vec<LogLine>,
    },
    /// The shell cannot answer at all (no `node` on PATH…): the case fails with this message.
    Fail(String),
}

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// The shell must answer this (then call [`CaseRun::answer`] and poll again).
    Request(ShellRequest),
    /// The case is over: [`CaseRun::into_result`].
    Done,
}

/// Runs the cases of one test file against one target. Holds the parsed flows and one Liquid
/// service (its template cache shared by the cases), so it lives on one thread.
pub struct Runner {
    flow: Flow,
    subflows: Subflows,
    functions: FunctionsProject,
    stubs: Stubs,
    options: RunOptions,
    liquid: Rc<Liquid>,
}

impl Runner {
    pub fn new(target: &Target, file: &TestFile, options: RunOptions) -> Runner {
        Runner::with_liquid(target, file, options, Rc::new(Liquid::studio()))
    }

    /// Like [`Runner::new`], sharing a Liquid service (the browser's one).
    pub fn with_liquid(
        target: &Target,
        file: &TestFile,
        options: RunOptions,
        liquid: Rc<Liquid>,
    ) -> Runner {
        Runner {
            flow: target.flow.clone(),
            subflows: crate::project::engine_subflows(&target.subflows),
            functions: target.functions.clone(),
            stubs: file.stubs.clone(),
            options,
            liquid,
        }
    }

    /// Starts case `case` (its position `index` in the file): it runs until it needs the shell
    /// or is over.
    pub fn start(&self, index: usize, case: &Case) -> CaseRun {
        let now = case.time_ms.unwrap_or(DEFAULT_TIME_MS);
        let (trigger, next) = trigger(case);
        let engine = Engine::start_with_subflows(
            self.flow.clone(),
            trigger,
            Config::default(),
            Rc::clone(&self.liquid),
            self.subflows.clone(),
            now,
        );
        let mut transcript = Vec::new();
        if let (1, Some(first)) = (next, case.conversation.first()) {
            transcript.push(Line::Input {
                step: 0,
                text: describe_input(&first.action),
            });
        }
        CaseRun {
            index,
            stubs: case.stubs.over(&self.stubs),
            case: case.clone(),
            functions: self.functions.clone(),
            options: self.options,
            engine,
            now,
            next,
            pending: VecDeque::new(),
            calls: ById::default(),
            shell: None,
            wake_at: None,
            // The contact's first message (when it started the execution) is being played.
            step: (next == 1).then_some(0),
            failure: None,
            done: false,
            transcript,
            inputs: Vec::new(),
        }
    }

    /// Runs a case to its end, answering shell requests with `shell` (a synchronous shell: the
    /// CLI).
    pub fn run(
        &self,
        index: usize,
        case: &Case,
        shell: &mut dyn FnMut(&ShellRequest) -> ShellAnswer,
    ) -> CaseResult {
        let mut run = self.start(index, case);
        while let Progress::Request(request) = run.poll() {
            let answer = shell(&request);
            run.answer(answer);
        }
        run.into_result()
    }
}

/// The trigger of a case, and the first conversation step still to play (1 when the contact's
/// first message started the execution).
fn trigger(case: &Case) -> (Trigger, usize) {
    let contact = case.from.clone().unwrap_or_else(|| CONTACT.to_owned());
    let flow = case.to.clone().unwrap_or_else(|| FLOW_ADDRESS.to_owned());
    let parameters = case.parameters.clone().unwrap_or_else(|| json!({}));
    match case.start {
        Start::Message | Start::Conversation => {
            let (body, media) = match case.conversation.first().map(|s| &s.action) {
                Some(Action::Contact { text, media }) => (text.clone(), media.clone()),
                _ => (String::new(), Vec::new()),
            };
            let m = InboundMessage {
                from: contact,
                to: flow,
                body,
                media_urls: media,
            };
            let t = if case.start == Start::Message {
                Trigger::Message(m)
            } else {
                Trigger::Conversation(m)
            };
            (t, 1)
        }
        Start::Rest => (
            Trigger::Rest {
                // As Twilio's REST API names them: From is the flow's address, To the contact.
                from: case.from.clone().unwrap_or_else(|| FLOW_ADDRESS.to_owned()),
                to: case.to.clone().unwrap_or_else(|| CONTACT.to_owned()),
                parameters,
            },
            0,
        ),
        Start::Call => {
            let parameters = match &parameters {
                Value::Object(o) => o
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => s.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            (
                Trigger::Call(InboundCall {
                    from: contact,
                    to: flow,
                    parameters,
                }),
                0,
            )
        }
        Start::Subflow => (
            Trigger::Subflow(SubflowStart {
                contact,
                flow_address: flow,
                parameters,
                parent_trigger: json!({}),
            }),
            0,
        ),
    }
}

/// How a queued output is acknowledged when its step matches.
#[derive(Clone, Copy, Debug)]
enum Ack {
    /// Send Message waits for "sent".
    Sent(MessageId),
    /// Send & Wait For Reply needs nothing (unless the message fails).
    Reply(MessageId),
    /// Say/Play waits for its audio to finish.
    Audio(WaitId),
    /// A Gather's prompt: the Gather waits for keys anyway.
    None,
}

struct Pending {
    output: Output,
    ack: Ack,
    /// The log position the output came from (the step being built has this index).
    log_step: usize,
}

/// One case in progress.
pub struct CaseRun {
    index: usize,
    case: Case,
    stubs: Stubs,
    functions: FunctionsProject,
    options: RunOptions,
    engine: Engine,
    now: u64,
    /// The next conversation step to play.
    next: usize,
    pending: VecDeque<Pending>,
    /// Calls made per stub URL.
    calls: ById<usize, String>,
    /// A request the shell must answer.
    shell: Option<ShellRequest>,
    /// A `wait` in progress: the clock moves to this time.
    wake_at: Option<u64>,
    /// The conversation step being played (for failures found while the engine runs).
    step: Option<usize>,
    failure: Option<Failure>,
    done: bool,
    transcript: Vec<Line>,
    /// Every input the engine took after it started, with its time: the record a rewind replays
    /// when the run is shown in the simulator's log.
    inputs: Vec<(Input, u64)>,
}

impl CaseRun {
    /// Gives the engine an input and records it when taken.
    fn feed(&mut self, input: Input, now: u64) -> Result<(), InputError> {
        flowpen_engine::replay::give(&mut self.engine, &mut self.inputs, input, now)
    }

    /// Runs until the shell must answer something or the case is over.
    pub fn poll(&mut self) -> Progress {
        loop {
            if self.done {
                return Progress::Done;
            }
            if let Some(request) = &self.shell {
                return Progress::Request(request.clone());
            }
            self.drain();
            if self.shell.is_some() || self.done {
                continue;
            }
            if let Some(until) = self.wake_at {
                match self.engine.poll_timeout() {
                    Some(deadline) if deadline <= until => {
                        self.now = self.now.max(deadline);
                        let steps = self.engine.steps().len();
                        let _ = self.feed(Input::Timeout, self.now);
                        // A fired deadline moves the execution on (a step, or a later deadline), so
                        // a wait is bounded by the engine's step limit; one that does not ends it.
                        if self.engine.steps().len() == steps
                            && self.engine.poll_timeout() == Some(deadline)
                        {
                            self.now = self.now.max(until);
                            self.wake_at = None;
                        }
                    }
                    _ => {
                        self.now = self.now.max(until);
                        self.wake_at = None;
                    }
                }
                continue;
            }
            match self.case.conversation.get(self.next) {
                Some(_) => {
                    let i = self.next;
                    self.next += 1;
                    self.step = Some(i);
                    self.play(i);
                }
                None => {
                    self.step = None;
                    self.finish();
                }
            }
        }
    }

    /// The shell's answer to the request it was given.
    pub fn answer(&mut self, answer: ShellAnswer) {
        let Some(request) = self.shell.take() else {
            return;
        };
        let by = match &request {
            ShellRequest::Function { .. } => AnsweredBy::Function,
            ShellRequest::Network { .. } => AnsweredBy::Network,
        };
        let request = request.request().clone();
        match answer {
            ShellAnswer::Fail(message) => self.fail(
                FailureKind::Shell {
                    url: request.url.clone(),
                    message,
                },
                Some(request.widget.clone()),
            ),
            ShellAnswer::Response { result, logs } => {
                self.transcript.push(Line::Http {
                    widget: request.widget.clone(),
                    method: request.method.clone(),
                    url: request.url.clone(),
                    by,
                    outcome: outcome_text(&result),
                });
                self.transcript.extend(logs.into_iter().map(Line::Log));
                let _ = self.feed(
                    Input::Http {
                        request: request.id,
                        response: result,
                    },
                    self.now,
                );
            }
        }
    }

    /// The result, once [`CaseRun::poll`] said `Done` (before that, the result so far).
    pub fn into_result(self) -> CaseResult {
        self.into_parts().0
    }

    /// The result with the engine as the case left it (the browser shows its log).
    /// The result, the engine as the case left it, and the inputs it took with their times (what
    /// a rewind of the run in the simulator's log replays).
    pub fn into_parts(self) -> (CaseResult, Engine, Vec<(Input, u64)>) {
        let waiting = self.waiting_at();
        let result = CaseResult {
            name: self.case.name.clone(),
            index: self.index,
            at: self.case.at,
            failure: self.failure,
            path: path_of(&self.engine),
            end: self.engine.end_reason().cloned(),
            waiting,
            flow_data: main_flow_data(&self.engine),
            steps: self.engine.steps().to_vec(),
            transcript: self.transcript,
        };
        (result, self.engine, self.inputs)
    }

    fn waiting_at(&self) -> Option<WaitingAt> {
        if self.engine.end_reason().is_some() {
            return None;
        }
        self.engine.current_widget().map(|w| WaitingAt {
            widget: w.to_owned(),
            subflow: self.engine.current_subflow().cloned(),
        })
    }

    /// Records the case's failure (the first one wins) and ends the run.
    fn fail(&mut self, kind: FailureKind, widget: Option<String>) {
        if self.failure.is_none() {
            // Nothing played yet: the start itself (a REST or call start's first widgets).
            let start = self.step.is_none() && self.next == 0;
            let at = match self.step {
                Some(i) => self.case.conversation[i].at,
                None if start => self.case.at,
                None => self.case.conversation.last().map_or(self.case.at, |s| s.at),
            };
            self.failure = Some(Failure {
                step: self.step,
                start,
                at,
                log_step: None,
                widget,
                kind,
            });
        }
        self.done = true;
    }

    fn fail_at(
        &mut self,
        at: Place,
        kind: FailureKind,
        widget: Option<String>,
        log: Option<usize>,
    ) {
        if self.failure.is_none() {
            self.failure = Some(Failure {
                step: None,
                start: false,
                at,
                log_step: log,
                widget,
                kind,
            });
        }
        self.done = true;
    }

    /// Takes the engine's effects: output queues, requests are answered (or handed to the shell).
    fn drain(&mut self) {
        while let Some(effect) = self.engine.poll_effect() {
            match effect {
                Effect::Send(m) => {
                    let ack = match self.engine.status() {
                        Status::WaitingForSend { message, .. } if message == m.id => {
                            Ack::Sent(m.id)
                        }
                        _ => Ack::Reply(m.id),
                    };
                    let media = m.media_url.filter(|u| !u.trim().is_empty());
                    self.queue(
                        Output::Message {
                            widget: m.widget,
                            text: m.body,
                            media,
                        },
                        ack,
                    );
                }
                Effect::SayPlay { id, widget, audio } => {
                    self.queue(Output::Audio { widget, audio }, Ack::Audio(id));
                }
                Effect::Gather(g) => {
                    if let Some(audio) = g.prompt {
                        self.queue(
                            Output::Audio {
                                widget: g.widget,
                                audio,
                            },
                            Ack::None,
                        );
                    }
                }
                Effect::Http(request) => {
                    self.request(request);
                    if self.shell.is_some() || self.done {
                        return;
                    }
                }
                Effect::Ended(reason) => self.transcript.push(Line::End(reason.to_string())),
                Effect::WaitForReply { .. } | Effect::Record(_) | Effect::External(_) => {}
            }
        }
    }

    fn queue(&mut self, output: Output, ack: Ack) {
        if self.options.drive {
            self.transcript.push(Line::Output(output));
            let now = self.now;
            let _ = match ack {
                Ack::Sent(id) => self.feed(Input::Sent(id), now),
                Ack::Audio(id) => self.feed(Input::AudioComplete(id), now),
                Ack::Reply(_) | Ack::None => Ok(()),
            };
            return;
        }
        self.transcript.push(Line::Output(output.clone()));
        self.pending.push_back(Pending {
            output,
            ack,
            log_step: self.engine.steps().len(),
        });
    }

    /// A request: a stub answers it, or the shell, or the case fails.
    fn request(&mut self, request: HttpRequest) {
        if let Some(stub) = self.stubs.find(&request.url) {
            let calls = self.calls.get_or_default(stub.url.clone());
            let response = stub.responses[(*calls).min(stub.responses.len() - 1)].clone();
            *calls += 1;
            if response.times_out(&request) {
                let deadline = self
                    .engine
                    .poll_timeout()
                    .unwrap_or(self.now.saturating_add(request.timeout_ms));
                self.transcript.push(Line::Http {
                    widget: request.widget.clone(),
                    method: request.method.clone(),
                    url: request.url.clone(),
                    by: AnsweredBy::Stub,
                    outcome: format!(
                        "no response within {} (the stub answers after {})",
                        format_duration(request.timeout_ms),
                        format_duration(response.delay_ms)
                    ),
                });
                self.now = self.now.max(deadline);
                let _ = self.feed(Input::Timeout, self.now);
                return;
            }
            self.now = self.now.saturating_add(response.delay_ms);
            let result = response.result();
            self.transcript.push(Line::Http {
                widget: request.widget.clone(),
                method: request.method.clone(),
                url: request.url.clone(),
                by: AnsweredBy::Stub,
                outcome: outcome_text(&result),
            });
            let _ = self.feed(
                Input::Http {
                    request: request.id,
                    response: result,
                },
                self.now,
            );
            return;
        }
        if is_function_url(&request.url) {
            let served = url_path(&request.url).is_some_and(|p| self.functions.find(&p).is_some());
            if served {
                let fake_fetch = (!self.options.allow_network).then(|| self.fake_fetch());
                self.shell = Some(ShellRequest::Function {
                    request,
                    options: InvokeOptions {
                        timeout_ms: DEFAULT_TIMEOUT_MS,
                        fake_fetch,
                    },
                });
                return;
            }
        } else if self.options.allow_network {
            self.shell = Some(ShellRequest::Network { request });
            return;
        }
        let function = is_function_url(&request.url);
        self.fail(
            FailureKind::NoStub {
                method: request.method.clone(),
                url: request.url.clone(),
                function,
            },
            Some(request.widget),
        );
    }

    /// The case's stubs as a Function's `fetch` answers (each URL's first response; a network
    /// error or a delay cannot be expressed there, so those are left out and fetching them fails
    /// like an unreachable host).
    fn fake_fetch(&self) -> Vec<FakeFetchResponse> {
        self.stubs
            .entries
            .iter()
            .filter_map(|s| {
                let r = s.responses.first()?;
                (r.error.is_none() && r.delay_ms < u64::from(DEFAULT_TIMEOUT_MS)).then(|| {
                    FakeFetchResponse {
                        url: s.url.clone(),
                        status: r.status,
                        headers: r.headers.clone(),
                        body: r.body.clone(),
                    }
                })
            })
            .collect()
    }

    /// Where the execution is, in words, for failures.
    fn state(&self) -> String {
        match self.engine.status() {
            Status::Running => "it is running".into(),
            Status::WaitingForReply { widget, .. } => {
                format!("it waits for the contact's reply in {widget}")
            }
            Status::WaitingForSend { widget, .. } => format!("{widget} is sending a message"),
            Status::WaitingForHttp { widget, .. } => {
                format!("{widget} waits for its HTTP response")
            }
            Status::Playing { widget, .. } => format!("{widget} is playing audio"),
            Status::Gathering { widget, .. } => {
                format!("{widget} waits for the caller's keys or speech")
            }
            Status::Recording { widget, .. } => format!("{widget} waits for a recording"),
            Status::WaitingForExternal { widget, .. } => match self.engine.pending_external() {
                Some(r) => format!(
                    "{widget} waits for the outside world ({})",
                    r.events
                        .iter()
                        .map(|e| e.event.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!("{widget} waits for the outside world"),
            },
            // Tests never set breakpoints; a pause is named all the same.
            Status::Paused { widget, .. } => format!("it is paused before {widget}"),
            Status::Ended(r) => format!("the execution {}", ended_words(&r)),
        }
    }

    /// Plays conversation step `i`.
    fn play(&mut self, i: usize) {
        let action = self.case.conversation[i].action.clone();
        if self.options.drive && matches!(action, Action::Flow(_)) {
            return;
        }
        if let Action::Flow(expect) = &action {
            let expected = describe_expect(expect);
            let Some(p) = self.pending.pop_front() else {
                let state = self.state();
                return self.fail(FailureKind::MissingOutput { expected, state }, None);
            };
            if !output_matches(expect, &p.output) {
                let widget = Some(p.output.widget().to_owned());
                self.fail(
                    FailureKind::WrongOutput {
                        expected,
                        actual: p.output,
                    },
                    widget,
                );
                if let Some(f) = &mut self.failure {
                    f.log_step = Some(p.log_step);
                }
                return;
            }
            let now = self.now;
            let acked = match (expect.fail, p.ack) {
                (true, Ack::Sent(id) | Ack::Reply(id)) => self.feed(
                    Input::SendFailure {
                        message: id,
                        error: SIMULATED_FAILURE.to_owned(),
                    },
                    now,
                ),
                (true, _) => Err(InputError::Invalid(
                    "only a message can fail to send (`fail: true`)".into(),
                )),
                (false, Ack::Sent(id)) => self.feed(Input::Sent(id), now),
                (false, Ack::Audio(id)) => self.feed(Input::AudioComplete(id), now),
                (false, Ack::Reply(_) | Ack::None) => Ok(()),
            };
            if let Err(e) = acked {
                self.refused(format!("`flow: {expected}`"), e);
            }
            return;
        }
        if self.fail_on_unexpected(Some(&action)) {
            return;
        }
        self.transcript.push(Line::Input {
            step: i,
            text: describe_input(&action),
        });
        let now = self.now;
        let result = match action {
            Action::Flow(_) => Ok(()),
            Action::Contact { text, media } => {
                let (contact, flow) = self.engine.trigger().addresses();
                self.feed(
                    Input::Message(InboundMessage {
                        from: contact,
                        to: flow,
                        body: text,
                        media_urls: media,
                    }),
                    now,
                )
            }
            Action::Timeout => match self.engine.poll_timeout() {
                Some(deadline) => {
                    self.now = now.max(deadline);
                    let _ = self.feed(Input::Timeout, self.now);
                    Ok(())
                }
                None => {
                    let state = self.state();
                    return self.fail(FailureKind::NothingToTimeOut { state }, None);
                }
            },
            Action::Wait { ms } => {
                self.wake_at = Some(now.saturating_add(ms));
                Ok(())
            }
            Action::Press { keys } => self.feed(Input::Digits(keys), now),
            Action::Speech { text, confidence } => {
                self.feed(Input::Speech { text, confidence }, now)
            }
            Action::Record {
                text,
                duration_s,
                end,
            } => self.feed(
                Input::Recording(Recording {
                    transcript: text,
                    duration_s,
                    ended_by: match end {
                        RecordEnd::Silence => RecordingEnd::Silence,
                        RecordEnd::Key(k) => RecordingEnd::Key(k),
                        RecordEnd::MaxLength => RecordingEnd::MaxLength,
                        RecordEnd::Hangup => RecordingEnd::Hangup,
                    },
                }),
                now,
            ),
            Action::Hangup => self.feed(Input::HangUp, now),
            Action::Event { name, variables } => match self.engine.pending_external() {
                Some(r) => {
                    let id = r.id;
                    self.feed(
                        Input::External {
                            wait: id,
                            outcome: ExternalOutcome {
                                event: name,
                                variables,
                            },
                        },
                        now,
                    )
                }
                None => Err(InputError::NotWaiting),
            },
        };
        if let Err(e) = result {
            let input = describe_input(&self.case.conversation[i].action);
            self.refused(input, e);
        }
    }

    fn refused(&mut self, input: String, e: InputError) {
        let kind = match e {
            InputError::Invalid(why) => FailureKind::Refused { input, why },
            InputError::NoCall => FailureKind::NotWaiting {
                input,
                state: "the execution is on no live call".into(),
            },
            InputError::NotWaiting | InputError::UnknownId => FailureKind::NotWaiting {
                input,
                state: self.state(),
            },
        };
        let widget = self.engine.current_widget().map(str::to_owned);
        self.fail(kind, widget);
    }

    /// Fails the case on the first output the file did not expect (`before`: the input it came
    /// before, if any), pointing at its step in the log. Whether there was one.
    fn fail_on_unexpected(&mut self, before: Option<&Action>) -> bool {
        let Some(p) = self.pending.pop_front() else {
            return false;
        };
        let widget = Some(p.output.widget().to_owned());
        self.fail(
            FailureKind::ExtraOutput {
                actual: p.output,
                before: before.map(describe_input),
            },
            widget,
        );
        if let Some(f) = &mut self.failure {
            f.log_step = Some(p.log_step);
        }
        true
    }

    /// The conversation is over: nothing may be left unexpected, then `expect` must hold.
    fn finish(&mut self) {
        if self.options.drive {
            self.done = true;
            return;
        }
        if self.fail_on_unexpected(None) {
            return;
        }
        let expect = self.case.expect.clone();
        let end = self.engine.end_reason().cloned();
        if !status_matches(expect.status, end.as_ref()) {
            let actual = match &end {
                Some(r) => ended_words(r),
                None => format!("still waiting: {}", self.state()),
            };
            let widget = self.engine.current_widget().map(str::to_owned);
            return self.fail_at(
                expect.at,
                FailureKind::Status {
                    expected: expect.status,
                    actual,
                },
                widget,
                None,
            );
        }
        if let Some(reason) = &expect.reason {
            let actual = match &end {
                Some(r) => r.to_string(),
                None => self.state(),
            };
            if !reason.matches(&actual) {
                return self.fail_at(
                    expect.at,
                    FailureKind::Reason {
                        expected: reason.to_string(),
                        actual,
                    },
                    None,
                    None,
                );
            }
        }
        if let Some((at, expected)) = &expect.path {
            let actual = path_of(&self.engine);
            if let Some(index) = path_difference(expected, &actual) {
                let widget = actual.get(index).cloned();
                return self.fail_at(
                    *at,
                    FailureKind::Path {
                        expected: expected.clone(),
                        actual,
                        index,
                    },
                    widget,
                    None,
                );
            }
        }
        if !expect.flow_data.is_empty() {
            let data = main_flow_data(&self.engine);
            for d in &expect.flow_data {
                let actual = lookup(&data, &d.path);
                if !value_matches(&d.value, actual) {
                    return self.fail_at(
                        d.at,
                        FailureKind::FlowData {
                            path: d.path.clone(),
                            expected: describe_value(&d.value),
                            actual: actual.map(Value::to_string),
                        },
                        None,
                        None,
                    );
                }
            }
        }
        self.done = true;
    }
}

/// `ended normally (…)`, `ended with run-limit (…)`.
fn ended_words(r: &EndReason) -> String {
    if r.is_normal() {
        format!("ended normally ({r})")
    } else {
        let kind = r.to_json()["kind"].as_str().unwrap_or("error").to_owned();
        format!("ended with {kind} ({r})")
    }
}

/// An input step in words, as the file writes it.
fn describe_input(action: &Action) -> String {
    match action {
        Action::Flow(e) => format!("flow: {}", describe_expect(e)),
        Action::Contact { text, .. } => format!("contact: \"{text}\""),
        Action::Timeout => "timeout".into(),
        Action::Wait { ms } => format!("wait: {}", format_duration(*ms)),
        Action::Press { keys } => format!("press: {keys}"),
        Action::Speech { text, .. } => format!("speech: \"{text}\""),
        Action::Record { text, .. } => format!("record: \"{text}\""),
        Action::Hangup => "hangup".into(),
        Action::Event { name, .. } => format!("event: {name}"),
    }
}

fn outcome_text(result: &Result<HttpResponse, TransportError>) -> String {
    match result {
        Ok(r) => format!("{}", r.status),
        Err(e) => e.message.clone(),
    }
}

/// The main flow's widgets in order: each step of the log (a subflow's excepted), then the
/// widget the execution waits in (a Run Subflow widget while its subflow runs).
pub(crate) fn path_of(engine: &Engine) -> Vec<String> {
    let mut path: Vec<String> = engine
        .steps()
        .iter()
        .filter(|s| s.subflow.is_none())
        .map(|s| s.widget.clone())
        .collect();
    if engine.end_reason().is_none() {
        match engine.current_subflow() {
            Some(r) => path.push(r.widget.clone()),
            None => path.extend(engine.current_widget().map(str::to_owned)),
        }
    }
    path
}

/// The main flow's Flow Data, also while (or after) a subflow runs.
pub(crate) fn main_flow_data(engine: &Engine) -> Value {
    if engine.current_subflow().is_none() {
        return engine.flow_data().clone();
    }
    match engine.steps().iter().rposition(|s| s.subflow.is_none()) {
        Some(i) => engine.context_after(i),
        None => engine.flow_data().clone(),
    }
}

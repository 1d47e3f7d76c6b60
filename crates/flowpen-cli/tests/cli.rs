//! The `flowpen` command end to end: check, fmt and run, with real processes, real standard
//! input/output and a real HTTP server on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::thread;

use flowpen_testkit::{corpus, shared_dir, workspace_root};

fn flowpen(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowpen"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start flowpen");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("flowpen runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn example(name: &str) -> String {
    workspace_root()
        .join("www/examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Serves `responses.len()` HTTP requests on loopback, answering each with the next response
/// (status line + headers + body), and returns the base URL and the requests it saw.
// A test-only server thread; the core's no-threads rule is about wasm32, not native tests.
#[allow(clippy::disallowed_methods)]
fn serve(responses: Vec<String>) -> (String, thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut buf = vec![0u8; 65536];
            let mut request = Vec::new();
            // Read the head, then as much body as Content-Length says.
            loop {
                let n = stream.read(&mut buf).expect("read");
                request.extend_from_slice(&buf[..n]);
                let head_end = request.windows(4).position(|w| w == b"\r\n\r\n");
                if let Some(h) = head_end {
                    let head = String::from_utf8_lossy(&request[..h]).to_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if request.len() >= h + 4 + len {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            seen.push(String::from_utf8_lossy(&request).into_owned());
            stream.write_all(response.as_bytes()).expect("write");
        }
        seen
    });
    (url, handle)
}

fn json_response(status: &str, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
}

/// The random number example with its Function URL pointed at `url`.
fn random_number_flow(url: &str) -> tempfile_path::TempFile {
    let text = std::fs::read_to_string(example("random-number.json")).expect("example");
    tempfile_path::TempFile::new(
        "random.json",
        &text.replace("https://flowpen.local/random", &format!("{url}/random")),
    )
}

mod tempfile_path {
    //! A file in the system temp dir, removed on drop.
    pub struct TempFile(pub std::path::PathBuf);

    impl TempFile {
        pub fn new(name: &str, text: &str) -> TempFile {
            // Tests run in parallel: every file gets its own name.
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("flowpen-cli-{}-{n}-{name}", std::process::id()));
            std::fs::write(&path, text).expect("write temp file");
            TempFile(path)
        }

        pub fn path(&self) -> &str {
            self.0.to_str().expect("utf-8 path")
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[test]
fn check_reports_the_dangling_transition_of_corpus_31() {
    let Some(shared) = shared_dir("check_reports_the_dangling_transition_of_corpus_31") else {
        return;
    };
    let file = shared.join("fixtures/studio-flows/31_twilio-labs__function-templates__vaccine-standby-list_sms-studio-flow.json");
    let out = flowpen(&["check", file.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(":Goodbye:transitions[0].next: error dangling-next"),
        "{stdout}"
    );
    assert!(stdout.contains("\"SaveToAirtable\""), "{stdout}");
    let json = flowpen(&["check", "--json", file.to_str().unwrap()], "");
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "dangling-next" && d["widget"] == "Goodbye"));
}

#[test]
fn check_passes_a_clean_flow_and_explains_broken_json() {
    let out = flowpen(&["check", &example("random-number.json")], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let bad = tempfile_path::TempFile::new("bad.json", "{\n  \"states\": [\n    {\"name\": }\n");
    let out = flowpen(&["check", bad.path()], "");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(":3:14: error parse-error expected a value"),
        "{stderr}"
    );
}

#[test]
fn fmt_gives_back_studio_exports_unchanged() {
    let Some(files) = corpus("fmt_gives_back_studio_exports_unchanged") else {
        return;
    };
    let dir = shared_dir("fmt")
        .expect("shared")
        .join("fixtures/studio-flows");
    let mut identical = 0;
    for (name, original) in &files {
        let out = flowpen(&["fmt", dir.join(name).to_str().unwrap()], "");
        assert_eq!(out.status.code(), Some(0), "{name}");
        let printed = text(&out.stdout);
        // Files not written by Studio's export (4-space or hand-formatted) differ in whitespace only.
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(squash(&printed), squash(original), "{name}");
        if printed == *original {
            identical += 1;
        }
    }
    assert!(
        identical >= 23,
        "{identical} of {} files came back byte-for-byte",
        files.len()
    );
}

#[test]
fn run_plays_the_random_number_flow_against_a_real_server() {
    let (url, server) = serve(vec![json_response("200 OK", "{\"number\": 4}")]);
    let flow = random_number_flow(&url);
    let out = flowpen(
        &["run", "--steps", "--flow-data", flow.path()],
        "hi\n1\n6\n",
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.starts_with(
        "> Hi! I pick random numbers. What is the smallest number I may pick?\n> And the largest?\n> Your random number is 4.\n"
    ), "{stdout}");
    assert!(
        stdout.contains("step 3 get_num [run-function] success -> send_result: HTTP 200"),
        "{stdout}"
    );
    assert!(stdout.contains("\"number\": 4"), "{stdout}");
    let requests = server.join().expect("server");
    assert!(
        requests[0].starts_with("POST /random HTTP/1.1"),
        "{}",
        requests[0]
    );
    assert!(requests[0].contains("min=1&max=6"), "{}", requests[0]);
    assert!(text(&out.stderr).contains("ended: \"send_result\" has no next widget for \"sent\""));
}

/// Studio counts 2xx and 3xx as success: a redirect that cannot be followed (no `Location`) is a
/// success with its status and body, not a network failure.
#[test]
fn run_takes_a_redirect_without_location_as_success() {
    let (url, server) = serve(vec![json_response("302 Found", "{\"number\": 4}")]);
    let flow = random_number_flow(&url);
    let out = flowpen(&["run", "--steps", flow.path()], "hi\n1\n6\n");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("> Your random number is 4."),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("success -> send_result: HTTP 302"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0));
    server.join().expect("server");
    // A redirect with a Location is followed: a POST becomes a GET of the new URL.
    let (url, server) = serve(vec![
        "HTTP/1.1 302 Found\r\nLocation: /elsewhere?x=1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
        json_response("200 OK", "{\"number\": 5}"),
    ]);
    let flow = random_number_flow(&url);
    let out = flowpen(&["run", flow.path()], "hi\n1\n6\n");
    assert!(
        text(&out.stdout).contains("> Your random number is 5."),
        "{}",
        text(&out.stdout)
    );
    let seen = server.join().expect("server");
    assert!(seen[0].starts_with("POST /random "), "{}", seen[0]);
    assert!(seen[1].starts_with("GET /elsewhere?x=1 "), "{}", seen[1]);
    assert!(
        !seen[1].to_ascii_lowercase().contains("content-type"),
        "{}",
        seen[1]
    );
}

/// Text from a flow or a response never puts raw control characters on the terminal.
#[test]
fn run_escapes_control_characters() {
    let body = "\u{1b}[2J\u{7}bell";
    let (url, server) = serve(vec![format!(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )]);
    let flow = random_number_flow(&url);
    let out = flowpen(
        &["run", "--steps", "--flow-data", flow.path()],
        "hi\u{1b}[31m\n1\n6\n",
    );
    let stdout = text(&out.stdout);
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters in {stdout:?}"
    );
    assert!(stdout.contains("\\u{1b}[2J\\u{7}bell"), "{stdout}");
    server.join().expect("server");
}

#[test]
fn run_follows_fail_on_a_server_error_and_times_out_at_end_of_input() {
    let (url, server) = serve(vec![json_response(
        "500 Internal Server Error",
        "{\"message\":\"boom\"}",
    )]);
    let flow = random_number_flow(&url);
    let out = flowpen(&["run", flow.path()], "hi\n1\n6\n");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("> Sorry, I could not pick a number (500): {\"message\":\"boom\"}"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0));
    server.join().expect("server");
    // Input ends while the flow waits for the maximum: the wait times out, which ends the flow.
    let out = flowpen(&["run", &example("random-number.json")], "hi\n1\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("has no next widget for \"timeout\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_starts_rest_executions_and_reports_abnormal_ends() {
    let (url, server) = serve(vec![
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy".to_owned(),
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_owned(),
    ]);
    let text_flow = std::fs::read_to_string(example("retry-counter.json"))
        .unwrap()
        .replace("https://flowpen.local/flaky", &format!("{url}/flaky"));
    let flow = tempfile_path::TempFile::new("retry.json", &text_flow);
    let rest = r#"{"From":"+15559870000","To":"+15551230000","Parameters":"{\"order\":\"A-17\"}"}"#;
    let out = flowpen(&["run", "--rest", rest, "--flow-data", flow.path()], "");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("> Done after 2 attempt(s): ok\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\"order\": \"A-17\""), "{stdout}");
    server.join().expect("server");
    // A flow that reaches a widget type Flowpen does not model ends abnormally.
    let unknown = workspace_root().join("crates/flowpen-engine/tests/flows/unknown-widget.json");
    let out = flowpen(&["run", unknown.to_str().unwrap()], "hello\n");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("is a search-for-a-profile widget, which the simulator cannot run"),
        "{}",
        text(&out.stderr)
    );
}

fn corpus_file(test: &str, prefix: &str) -> Option<std::path::PathBuf> {
    let dir = shared_dir(test)?.join("fixtures/studio-flows");
    let name = std::fs::read_dir(&dir)
        .expect("corpus")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(prefix))
        .expect("corpus file");
    Some(dir.join(name))
}

/// A corpus flow with `from` replaced by `to` in its text, as a temporary file.
fn corpus_with(
    test: &str,
    prefix: &str,
    swaps: &[(&str, &str)],
) -> Option<tempfile_path::TempFile> {
    let path = corpus_file(test, prefix)?;
    let mut text = std::fs::read_to_string(path).expect("read");
    for (from, to) in swaps {
        assert!(text.contains(from), "{from} is in corpus #{prefix}");
        text = text.replace(from, to);
    }
    Some(tempfile_path::TempFile::new(
        &format!("{prefix}.json"),
        &text,
    ))
}

#[test]
fn run_call_plays_keys_and_a_recording_and_picks_the_call_trigger() {
    let Some(flow) = corpus_file("run_call_plays_keys_and_a_recording", "11_") else {
        return;
    };
    let out = flowpen(
        &["run", "--steps", "--flow-data", flow.to_str().unwrap()],
        "1\nrecord: Why did the crab never share? Because he was shellfish.\n",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "incoming call from +15550001111 (the only start the flow's Trigger connects)"
        ),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("> say: Greetings! Welcome to Cedric's Joke Hotline. (Polly.Brian, en-GB)\n> say: Press 1 to submit a joke,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("> (gather: keys, # submits, 1 digit; 5 s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "> (record: up to 600 s, after the beep, transcribed; answer with record: TEXT)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("step 3 menu [gather-input-on-call] keypress -> check_menu: pressed \"1\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("recordingComplete -> (end): recorded 4 s: \"Why did the crab"),
        "{stdout}"
    );
    assert!(stdout.contains("\"RecordingDuration\": \"4\""), "{stdout}");
    assert!(
        stderr.contains("has no next widget for \"recordingComplete\""),
        "{stderr}"
    );
}

#[test]
fn run_line_protocol_takes_speech_keys_and_hangs_up_when_input_ends() {
    let Some(flow) = corpus_file("run_line_protocol_takes_speech", "19_") else {
        return;
    };
    // A line that is neither keys nor speech is explained; speech, then keys with #; then input
    // ends during a Gather: the caller hangs up, which ends a call execution normally.
    let out = flowpen(
        &["run", "--steps", flow.to_str().unwrap()],
        "speech: taxi\nwhat?\nspeech: Ada\n1#\n",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "flowpen run: gather_3 waits for keys (like 1 or 1234#), speech: TEXT or hangup"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("> say: Your name is Ada. "), "{stdout}");
    assert!(
        stdout.contains("step 1 gather_1 [gather-input-on-call] speech -> split_user_speaks: said \"taxi\" (confidence 0.9)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "confirm_name [gather-input-on-call] keypress -> split_1: pressed \"1\", then #"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("gather_address [gather-input-on-call] - -> (end): the caller hung up"),
        "{stdout}"
    );
    assert!(
        stderr.contains("call ended: the caller hung up"),
        "{stderr}"
    );
    // Speech to a Gather that does not listen is refused, and the Gather then times out: "1" alone
    // (no # and no number of digits) is submitted when the caller pauses.
    let out = flowpen(
        &["run", "--steps", flow.to_str().unwrap()],
        "speech: taxi\nspeech: Ada\nspeech: yes\n1\nhangup\n",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("this Gather does not listen for speech"),
        "{stderr}"
    );
    assert!(
        stdout.contains("keypress -> split_1: pressed \"1\" (submitted after 5 s without a key)"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
}

#[test]
fn run_answers_outside_widgets_with_events() {
    let (url, server) = serve(vec![json_response(
        "200 OK",
        "{\"record\": {\"fields\": {\"View\": \"Premium\"}}}",
    )]);
    let Some(flow) = corpus_with(
        "run_answers_outside_widgets_with_events",
        "39_",
        &[("https://mercado-pago-serverless-8115-dev.twil.io", &url)],
    ) else {
        return;
    };
    let out = flowpen(
        &["run", "--flow-data", flow.path()],
        "123456\nevent: nope\nevent: callComplete QueueTime=42 Note=\"two words\"\n",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("> send-to-flex send_to_flex_1: put the call in a Flex task (workflow WW9364788d2314909822e7b2e5d93919a0, channel TC3a0cdeb263b9ab573a04ac30a9283e43)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(">   event: callComplete (Task Created) "),
        "{stdout}"
    );
    assert!(
        stdout.contains(">   event: callFailure (Call Failed) "),
        "{stdout}"
    );
    assert!(
        stderr.contains("\"send_to_flex_1\" can end with callComplete, failedToEnqueue, callFailure, not \"nope\""),
        "{stderr}"
    );
    assert!(stdout.contains("\"QueueTime\": \"42\""), "{stdout}");
    assert!(stdout.contains("\"Note\": \"two words\""), "{stdout}");
    assert!(stdout.contains("\"QueueResult\": \"bridged\""), "{stdout}");
    let requests = server.join().expect("server");
    assert!(requests[0].contains("user_id=123456"), "{}", requests[0]);
}

#[test]
fn run_stops_an_outside_wait_when_input_ends_and_refuses_two_starts() {
    let Some(flow) = corpus_file("run_stops_an_outside_wait", "28_") else {
        return;
    };
    let out = flowpen(&["run", flow.to_str().unwrap()], "hello\n");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("input ended while send_to_flex_1 waits for the outside world"),
        "{stderr}"
    );
    assert!(stderr.contains("stopped by the user"), "{stderr}");
    let out = flowpen(
        &["run", "--call", "--rest", "{}", flow.to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("choose one of --rest, --call, --conversation and --subflow"),
        "{}",
        text(&out.stderr)
    );
    // A conversation start: the first line is the Conversations message.
    let Some(webchat) = corpus_file("run_stops_an_outside_wait", "05_") else {
        return;
    };
    let out = flowpen(
        &["run", "--flow-data", webchat.to_str().unwrap()],
        "hello\nParking\n",
    );
    let stdout = text(&out.stdout);
    assert!(
        text(&out.stderr)
            .contains("incoming conversation message from +15550001111: \"hello\" (the only start"),
        "{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("\"ConversationSid\": \"CH"), "{stdout}");
}

#[test]
fn run_gives_run_subflow_its_subflow_file() {
    let (url, server) = serve(vec![
        json_response("200 OK", "{}"),
        json_response("200 OK", "{\"name\": \"Ada\"}"),
        json_response("200 OK", "{}"),
    ]);
    let swap = [("https://ngrok.anthonydellavecchia.com", url.as_str())];
    let Some(parent) = corpus_with("run_gives_run_subflow_its_subflow_file", "16_", &swap) else {
        return;
    };
    let Some(child) = corpus_with(
        "run_gives_run_subflow_its_subflow_file",
        "15_",
        &[("https://daily-sit-down-4177.twil.io", &url)],
    ) else {
        return;
    };
    let spec = format!("FW50120385f4d1e8dcf30c0bcd83695969={}", child.path());
    let out = flowpen(
        &["run", "--subflow-file", &spec, "--steps", parent.path()],
        "sit down\nWrote tests\nMore tests\nNone\n1\n",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("> ADA what did you do yesterday?\n> ADA what will you do today?\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("> Thanks, Ada now get back to work."),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "step 3 Trigger [trigger] (subflow of ask_questions) incomingParent -> var_name"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("ask_questions [run-subflow] completed -> end: the subflow completed"),
        "{stdout}"
    );
    let requests = server.join().expect("server");
    assert!(requests[2].contains("name=Ada"), "{}", requests[2]);
    // Without the file, Run Subflow fails (Studio error 81024).
    let (url, server) = serve(vec![
        json_response("200 OK", "{}"),
        json_response("200 OK", "{\"name\": \"Ada\"}"),
    ]);
    let swap = [("https://ngrok.anthonydellavecchia.com", url.as_str())];
    let Some(parent) = corpus_with("run_gives_run_subflow_its_subflow_file", "16_", &swap) else {
        return;
    };
    let out = flowpen(&["run", "--steps", parent.path()], "sit down\n");
    server.join().expect("server");
    assert!(
        text(&out.stdout).contains(
            "ask_questions [run-subflow] failed -> (end): failed: no flow of the project"
        ),
        "{}",
        text(&out.stdout)
    );
}

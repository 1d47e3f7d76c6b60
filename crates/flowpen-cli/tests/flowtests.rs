//! `flowpen test` end to end: the examples' and the corpus flows' test files pass (this is how
//! `make test` runs them), the cases that must fail fail with their messages, the outputs
//! (`--json`, `--junit`, `--coverage`), the Node runner's contract for playground Functions, and
//! `--allow-network` against a loopback server.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use flowpen_playground::flowtest;
use flowpen_testkit::{shared_dir, workspace_root};

fn flowpen_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowpen"));
    cmd.current_dir(dir).arg("test").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("flowpen runs")
}

fn flowpen(args: &[&str]) -> Output {
    flowpen_in(&workspace_root(), args, &[])
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// How many cases the test files under `dir` hold.
fn cases_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.yaml"))
        .map(|p| {
            let t = std::fs::read_to_string(&p).expect("read");
            flowtest::parse(&t).expect("reads").cases.len()
        })
        .sum()
}

/// A folder in the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("flowpen-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.join(name), text).expect("write");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_examples_test_files_pass() {
    let out = flowpen(&["www/examples"]);
    let stdout = text(&out.stdout);
    let cases = cases_in(&workspace_root().join("www/examples"));
    assert!(cases >= 15);
    assert!(
        stdout.ends_with(&format!("{cases} passed, 0 failed\n")),
        "{stdout}{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout.matches("\nok    ").count() + 1, cases, "{stdout}");
}

#[test]
fn the_corpus_test_files_pass() {
    let Some(shared) = shared_dir("the_corpus_test_files_pass") else {
        return;
    };
    let dir = workspace_root().join("tests/flows/corpus");
    let cases = cases_in(&dir);
    assert!(cases >= 20, "{cases}");
    for env in [
        vec![],
        vec![("FLOWPEN_SHARED", shared.to_str().expect("utf-8"))],
    ] {
        let out = flowpen_in(&workspace_root(), &["tests/flows/corpus"], &env);
        let stdout = text(&out.stdout);
        assert!(
            stdout.ends_with(&format!("{cases} passed, 0 failed\n")),
            "{stdout}{}",
            text(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(0));
    }
    // Without the shared folder, the files say where it was looked for.
    let out = flowpen_in(
        &workspace_root(),
        &["tests/flows/corpus/22-ivr.test.yaml"],
        &[("FLOWPEN_SHARED", "/nonexistent/shared")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("/nonexistent/shared/fixtures/studio-flows/22_"));
}

/// Every line `flowpen test tests/flows/failing` must print for the cases that must fail.
const FAILING: &[&str] = &[
    "FAIL  tests/flows/failing/no-stub.test.yaml › no stub and no Function",
    "      step 5 (line 10): POST https://flowpen.local/random has no stub, and no Function of the project serves that path; add it under `stubs:` (or add the Function)",
    "FAIL  tests/flows/failing/random-number.test.yaml › wrong text",
    "      step 2 (line 10): expected the flow to send \"Hello there*\", but it sent \"Hi! I pick random numbers. What is the smallest number I may pick?\" (from min_value)",
    "      - expected: \"Hello there*\"",
    "      + actual:   \"Hi! I pick random numbers. What is the smallest number I may pick?\" (from min_value)",
    "FAIL  tests/flows/failing/random-number.test.yaml › wrong Flow Data",
    "      expect (line 22): Flow Data widgets.get_num.parsed.number is 4, expected 5",
    "      - expected: 5",
    "      + actual:   4",
    "      step 2 (line 27): the flow sent \"Hi! I pick random numbers. What is the smallest number I may pick?\" (from min_value), which no `flow:` step expects (before `contact: \"1\"`)",
    "      after the last step (line 31): the flow sent \"Hi! I pick random numbers. What is the smallest number I may pick?\" (from min_value), which no `flow:` step expects",
    "      step 3 (line 37): expected the flow to send \"And the largest?\", but it sent nothing more: it waits for the contact's reply in min_value",
    "      expect (line 45): the path is shorter: expected widget 3 to be max_value, but the execution went no further",
    "      - expected: [Trigger, min_value, max_value]",
    "      + actual:   [Trigger, min_value]",
    "      expect (line 52): expected the execution to be ended (normally), but it is still waiting: it waits for the contact's reply in min_value",
    "      step 3 (line 58): press: 1, but the execution does not take it: it waits for the contact's reply in min_value",
    "        < contact: \"hi\"",
    "        > \"Hi! I pick random numbers. What is the smallest number I may pick?\" (from min_value)",
    "0 passed, 9 failed",
];

#[test]
fn cases_that_must_fail_fail_with_their_messages() {
    let out = flowpen(&["tests/flows/failing"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    for want in FAILING {
        assert!(lines.contains(want), "missing line {want:?} in\n{stdout}");
    }
    assert_eq!(
        stdout.matches("\nFAIL  ").count() + 1,
        cases_in(&workspace_root().join("tests/flows/failing"))
    );
}

#[test]
fn json_junit_filter_and_coverage() {
    let junit = std::env::temp_dir().join(format!("flowpen-junit-{}.xml", std::process::id()));
    let out = flowpen(&[
        "--json",
        "--junit",
        junit.to_str().expect("utf-8"),
        "--coverage",
        "tests/flows/failing",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(0), Some(9))
    );
    let case = &v["files"][1]["cases"][0];
    assert_eq!(case["name"], "wrong text");
    assert_eq!(case["failure"]["step"], 1);
    assert_eq!(case["failure"]["line"], 10);
    assert_eq!(case["failure"]["widget"], "min_value");
    assert_eq!(case["failure"]["expected"], "\"Hello there*\"");
    assert!(v["coverage"][0]["flows"][0]["widgets"].is_array());
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    let _ = std::fs::remove_file(&junit);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"flowpen test\" tests=\"9\" failures=\"9\" errors=\"0\""), "{xml}");
    assert!(xml.contains(
        "<testcase name=\"wrong text\" classname=\"tests/flows/failing/random-number.test.yaml\""
    ));
    assert!(xml.contains(
        "<failure message=\"step 2 (line 10): expected the flow to send &quot;Hello there*&quot;"
    ));

    let out = flowpen(&["--coverage", "--filter", "QUIET", "www/examples"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok    www/examples/random-number.test.yaml › the contact goes quiet\n")
    );
    assert!(stdout.ends_with("1 passed, 0 failed\n"), "{stdout}");
    assert!(
        stdout.contains(
            "coverage of www/examples/random-number.json (1 cases)\n  main flow\n    widgets      2/6 (33%)\n      not reached: max_value, get_num, send_result, send_error\n    transitions  2/17 (11%)\n      not taken:\n        Trigger: incomingCall (ends), incomingConversationMessage (ends), incomingRequest (ends), incomingParent (ends)\n        min_value: incomingMessage → max_value, deliveryFailure (ends)\n"
        ),
        "{stdout}"
    );
}

#[test]
fn unreadable_files_and_bad_arguments() {
    let dir = TempDir::new("errors");
    dir.write(
        "broken.test.yaml",
        "flow: x.json\ntests:\n  - name: a\n    start: sms\n",
    );
    dir.write("noflow.test.yaml", "tests: []\n");
    dir.write("missing.test.yaml", "flow: nowhere.json\ntests: []\n");
    let out = flowpen_in(&dir.0, &["."], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ERROR ./broken.test.yaml:4:12: error `start` is one of message, call, rest, conversation, subflow (found \"sms\")"), "{stdout}");
    assert!(
        stdout.contains("ERROR ./noflow.test.yaml: error the test file names no `flow:`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ERROR ./missing.json")
            || stdout.contains("nowhere.json: error cannot read"),
        "{stdout}"
    );
    assert!(stdout.ends_with("0 passed, 3 failed\n"), "{stdout}");
    let out = flowpen_in(&dir.0, &["nothing-here"], &[]);
    assert!(text(&out.stdout).contains("ERROR nothing-here: error no such file or folder"));
    let out = flowpen(&["--jobs", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = flowpen(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown option --frobnicate"));
}

/// The Functions contract, case by case (`tests/flows/node-contract/`: a REST-started flow that
/// runs the Function `flow.data.fn` and reports what came back; the npm package's tests run it too).
fn function_project() -> PathBuf {
    workspace_root().join("tests/flows/node-contract")
}

#[test]
fn playground_functions_run_under_node_with_the_browsers_contract() {
    let dir = function_project();
    let out = flowpen_in(&dir, &["--json", "functions.test.yaml"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    let cases = v["files"][0]["cases"].as_array().expect("cases");
    let failed: Vec<String> = cases
        .iter()
        .filter(|c| c["passed"] != true)
        .map(|c| format!("{}: {}", c["name"], c["failure"]["message"]))
        .collect();
    assert_eq!(
        failed,
        ["\"unknown path\": \"the start (line 36): POST https://flowpen.local/nowhere has no stub, and no Function of the project serves that path; add it under `stubs:` (or add the Function)\""]
    );
    let transcript = |name: &str| -> String {
        cases
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["transcript"].to_string())
            .unwrap_or_default()
    };
    assert!(
        transcript("hello").contains("[log] hi Ada"),
        "{}",
        transcript("hello")
    );
    // The worker cuts a line at 10,000 characters; the host keeps 2 M characters a call.
    let chatty = transcript("chatty");
    assert!(chatty.contains("…[truncated]"));
    assert!(
        chatty.contains("were dropped: at most 65536 characters a message, 2097152 a call"),
        "{} characters",
        chatty.len()
    );
    assert!(chatty.len() < 2_300_000, "{} characters", chatty.len());
    assert!(transcript("stdout").contains("[info] info"));
    assert!(transcript("silent").contains("did not call callback within 10000 ms"));
    assert!(
        transcript("rogue").contains("not text"),
        "{}",
        transcript("rogue")
    );
    let silent = cases
        .iter()
        .find(|c| c["name"] == "silent")
        .expect("silent");
    let seconds = silent["seconds"].as_f64().expect("seconds");
    assert!((9.5..20.0).contains(&seconds), "the 10 s kill: {seconds}");

    // Without Node, the cases that need a Function fail and say so.
    let out = flowpen_in(
        &dir,
        &["--filter", "hello", "functions.test.yaml"],
        &[("FLOWPEN_NODE", "/nonexistent/node")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("https://flowpen.local/hello could not be answered: `/nonexistent/node` was not found: flowpen test runs the project's Functions with Node.js"), "{}", text(&out.stdout));
}

/// Serves `n` requests on loopback with a JSON answer; returns the base URL.
// A test-only server thread; the core's no-threads rule is about wasm32, not native tests.
#[allow(clippy::disallowed_methods)]
fn serve(n: usize) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        for _ in 0..n {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = r#"{"score": 12}"#;
            let _ = stream.write_all(
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).as_bytes(),
            );
        }
    });
    (url, handle)
}

#[test]
fn the_network_only_when_allowed() {
    let (url, server) = serve(1);
    let dir = TempDir::new("network");
    dir.write(
        "flow.json",
        &format!(
            r#"{{"description": "net", "states": [
  {{"name": "Trigger", "type": "trigger", "transitions": [{{"event": "incomingMessage", "next": "get"}}], "properties": {{"offset": {{"x": 0, "y": 0}}}}}},
  {{"name": "get", "type": "make-http-request", "transitions": [{{"event": "success", "next": "say"}}, {{"event": "failed"}}], "properties": {{"method": "GET", "url": "{url}/score", "offset": {{"x": 0, "y": 0}}}}}},
  {{"name": "say", "type": "send-message", "transitions": [{{"event": "sent"}}, {{"event": "failed"}}], "properties": {{"body": "score {{{{widgets.get.parsed.score}}}}", "offset": {{"x": 0, "y": 0}}}}}}
], "initial_state": "Trigger", "flags": {{"allow_concurrent_calls": true}}}}"#
        ),
    );
    dir.write(
        "net.test.yaml",
        "flow: flow.json\ntests:\n  - name: asks the server\n    conversation:\n      - contact: hi\n      - flow: score 12\n",
    );
    let out = flowpen_in(&dir.0, &["net.test.yaml"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains(&format!("GET {url}/score has no stub; add it under `stubs:`, or allow the network (flowpen test --allow-network)")),
        "{}",
        text(&out.stdout)
    );
    let out = flowpen_in(&dir.0, &["--allow-network", "net.test.yaml"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    server.join().expect("server");
}

#[test]
fn a_project_file_brings_its_own_functions() {
    let dir = TempDir::new("project");
    let fixtures = function_project();
    let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).expect("fixture");
    let flow: serde_json::Value = serde_json::from_str(&read("flow.json")).expect("flow JSON");
    let hello = read("hello.js");
    let project = serde_json::json!({
        "flowpen": 1,
        "flow": flow,
        "functions": [{"path": "/hello", "code": hello}],
        "env": {"GREETING": "from the project"},
    });
    dir.write("app.flowpen.json", &project.to_string());
    dir.write(
        "app.test.yaml",
        "flow: app.flowpen.json\nfunctions:\n  /hello: ignored.js\ntests:\n  - {name: hello, start: rest, parameters: {fn: hello}, conversation: [{flow: \"200 Hello Ada from flowpen.local with from the project\"}]}\n",
    );
    let out = flowpen_in(&dir.0, &["app.test.yaml"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).ends_with("1 passed, 0 failed\n"));
    assert!(
        text(&out.stderr).contains("note: `functions`, `env` and `subflows` are ignored: app.flowpen.json is a project file"),
        "{}",
        text(&out.stderr)
    );
}

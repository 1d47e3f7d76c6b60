//! No input panics and every input does bounded work: mutated test files, random token soup and
//! random well-formed cases are read and run against the examples and a call flow; pathological
//! patterns finish quickly.

use flowpen_playground::flowtest::{self, RunOptions, Runner, ShellAnswer, Target};

use crate::{example_target, example_tests};

/// xorshift64*: a small deterministic generator (the tests must be repeatable).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PIECES: &[&str] = &[
    "\n",
    " ",
    "  ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "? ",
    "|\n",
    ">\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "true",
    "1e9",
    "-1",
    "99999999999999999999",
    "tests:",
    "name:",
    "conversation:",
    "contact:",
    "flow:",
    "timeout",
    "hangup",
    "press:",
    "speech:",
    "event:",
    "wait:",
    "expect:",
    "status:",
    "path:",
    "flow_data:",
    "stubs:",
    "{regex: \"(a+)+\"}",
    "{say: x}",
    "delay_ms: 99999999",
    "start: call",
    "start: rest",
    "\t",
    "\u{feff}",
    "é",
    "\\",
    "%",
    "@",
    "`",
];

/// Reads `text` and, when it reads, runs its cases against each target (a shell that answers
/// every request with a 200, or refuses): nothing may panic.
fn exercise(text: &str, targets: &[Target]) -> usize {
    let Ok(file) = flowtest::parse(text) else {
        return 0;
    };
    let _ = flowtest::write_file(&file);
    let mut ran = 0;
    for (n, target) in targets.iter().enumerate() {
        let options = RunOptions {
            allow_network: n % 2 == 0,
            drive: n % 3 == 0,
        };
        let runner = Runner::new(target, &file, options);
        for (i, case) in file.cases.iter().enumerate().take(20) {
            let result = runner.run(i, case, &mut |r| {
                if r.request().url.len() % 2 == 0 {
                    ShellAnswer::Response {
                        result: Ok(crate::json_response(200, r##"{"number": 1}"##)),
                        logs: Vec::new(),
                    }
                } else {
                    ShellAnswer::Fail("refused".into())
                }
            });
            if let Some(f) = &result.failure {
                assert!(!f.to_string().is_empty());
                let _ = f.diff();
            }
            let _ = result.to_json();
            let mut coverage = flowtest::Coverage::new(target);
            coverage.add(target, &result);
            ran += 1;
        }
    }
    ran
}

fn targets() -> Vec<Target> {
    vec![
        example_target("random-number.json"),
        example_target("retry-counter.json"),
        Target::new(crate::flow(
            r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingMessage", "next": "g"}, {"event": "incomingCall", "next": "g"}, {"event": "incomingRequest", "next": "g"}], "properties": {"offset": {"x": 0, "y": 0}}},
            {"name": "g", "type": "gather-input-on-call", "transitions": [{"event": "keypress", "next": "r"}, {"event": "speech", "next": "r"}, {"event": "timeout", "next": "r"}], "properties": {"say": "hi", "offset": {"x": 0, "y": 0}}},
            {"name": "r", "type": "record-voicemail", "transitions": [{"event": "recordingComplete", "next": "c"}, {"event": "noAudio", "next": "c"}, {"event": "hangup"}], "properties": {"offset": {"x": 0, "y": 0}}},
            {"name": "c", "type": "connect-call-to", "transitions": [{"event": "callCompleted", "next": "g"}, {"event": "hangup"}], "properties": {"to": "+1555", "offset": {"x": 0, "y": 0}}}"##,
        )),
    ]
}

#[test]
fn mutated_test_files_never_panic() {
    let seeds: Vec<String> = ["random-number.json", "dog-breed.json", "retry-counter.json"]
        .iter()
        .map(|f| example_tests(f).to_owned())
        .chain([
            include_str!("../../../../tests/flows/failing/random-number.test.yaml").to_owned(),
            include_str!("../../../../tests/flows/corpus/22-ivr.test.yaml").to_owned(),
            include_str!("../../../../tests/flows/corpus/11-joke-hotline.test.yaml").to_owned(),
        ])
        .collect();
    let targets = targets();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut read = 0;
    let mut ran = 0;
    for round in 0..3000 {
        let mut text = rng.pick(&seeds).clone().into_bytes();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(6) {
                0 if !text.is_empty() => {
                    let end = (at + 1 + rng.below(20)).min(text.len());
                    text.drain(at.min(end)..end);
                }
                1 => {
                    let piece = rng.pick(PIECES).as_bytes().to_vec();
                    text.splice(at..at, piece);
                }
                2 if at < text.len() => text[at] = rng.next() as u8,
                3 => text.truncate(at),
                4 => {
                    // Duplicate a line (a repeated key, a repeated step).
                    let s = String::from_utf8_lossy(&text).into_owned();
                    let lines: Vec<&str> = s.lines().collect();
                    if !lines.is_empty() {
                        let i = rng.below(lines.len());
                        let mut out = lines.clone();
                        out.insert(i, lines[i]);
                        text = out.join("\n").into_bytes();
                    }
                }
                _ => {
                    let piece = rng.pick(PIECES).as_bytes().to_vec();
                    text.extend(piece);
                }
            }
        }
        let text = String::from_utf8_lossy(&text);
        let n = exercise(
            &text,
            if round % 10 == 0 {
                &targets
            } else {
                &targets[..1]
            },
        );
        if n > 0 {
            read += 1;
            ran += n;
        }
    }
    assert!(
        read > 300,
        "too few mutants still read ({read}): the test exercises little"
    );
    assert!(ran > 1000, "too few cases ran ({ran})");
}

#[test]
fn token_soup_never_panics() {
    let mut rng = Rng(42);
    let targets = targets();
    for _ in 0..3000 {
        let mut text = String::from("tests:\n  - name: x\n    ");
        for _ in 0..rng.below(40) {
            text.push_str(rng.pick::<&str>(PIECES));
        }
        exercise(&text, &targets[..1]);
    }
}

/// Well-formed cases with random steps: they read, and they run to a result.
#[test]
fn random_cases_run_to_a_result() {
    let steps = [
        "- contact: hi",
        "- contact: \"1\"",
        "- flow: \"*\"",
        "- flow: {say: \"*\"}",
        "- flow: \"*\"\n        fail: true",
        "- timeout",
        "- hangup",
        "- wait: 30m",
        "- press: \"1#\"",
        "- speech: sales",
        "- record: hello",
        "- event: callCompleted",
        "- event: nothing",
    ];
    let starts = ["message", "call", "rest", "conversation", "subflow"];
    let targets = targets();
    let mut rng = Rng(7);
    let mut text = String::from("stubs:\n  \"https://flowpen.local/random\": [{json: {number: 2}}, {status: 500}, {delay_ms: 20000}]\n  \"https://flowpen.local/flaky\": [{status: 500}, {error: down}, {status: 200}]\ntests:\n");
    for i in 0..200 {
        let start = *rng.pick(&starts);
        text.push_str(&format!(
            "  - name: case {i}\n    start: {start}\n    conversation:\n"
        ));
        if start == "message" || start == "conversation" {
            text.push_str("      - contact: hi\n");
        }
        for _ in 0..rng.below(12) {
            text.push_str(&format!("      {}\n", rng.pick(&steps)));
        }
        text.push_str(&format!(
            "    expect: {{status: {}}}\n",
            rng.pick(&["ended", "waiting", "limit", "call-ended", "error"])
        ));
    }
    let file = flowtest::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.cases.len(), 200);
    let ran = exercise(&text, &targets);
    assert_eq!(ran, 3 * 20);
}

#[test]
fn pathological_patterns_finish() {
    // A flow that echoes the contact, so a long text meets the patterns.
    let target = Target::new(crate::flow(
        r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingMessage", "next": "echo"}], "properties": {"offset": {"x": 0, "y": 0}}},
        {"name": "echo", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}], "properties": {"body": "{{trigger.message.Body}}", "offset": {"x": 0, "y": 0}}}"##,
    ));
    let long = "a".repeat(30_000);
    let text = format!(
        "tests:\n  - name: glob\n    conversation:\n      - contact: \"{long}\"\n      - flow: \"{}b\"\n  - name: regex\n    conversation:\n      - contact: \"{long}\"\n      - flow: {{regex: \"(a|aa)*(a+a+)+y\"}}\n",
        "*a".repeat(200)
    );
    let results = crate::run(&target, &text);
    assert!(results.iter().all(|r| !r.passed()));
}

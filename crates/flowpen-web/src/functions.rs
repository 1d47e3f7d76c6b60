//! The Functions host in the browser: runs Functions written in the playground with Twilio's
//! contract, for Run Function widgets whose URL is a project Function
//! (`https://flowpen.local/random`).
//!
//! [`FunctionsHost::invoke`] answers such a request the way twilio-run (Twilio's local emulator)
//! and production do: `exports.handler(context, event, callback)` runs in a Web Worker started from
//! a hidden, sandboxed, opaque-origin iframe, so Function code never runs in the app's origin and
//! cannot read its storage, cookies or DOM. Everything besides running the code (routing, `event`
//! and `context`, the messages, the response mapping) is the pure
//! [`flowpen_playground::functions`]; `host` is the only part that touches the browser.
//!
//! The JavaScript side is two small files: `functions/frame.js` (the sandbox frame that starts one
//! worker per call) and the worker bootstrap (Twilio's globals, TwiML builders, `require('axios')`,
//! console capture), which `flowpen-playground` holds as [`WORKER_JS`] because the `flowpen`
//! command runs the same shim under Node. The app does not carry them in its wasm: Trunk copies
//! both into `dist/` ([`WORKER_URL`], [`FRAME_URL`]) and the host fetches them on its first call
//! ([`Runtime::Assets`]); the wasm tests give them inline ([`Runtime::bundled`]).

mod host;

pub use flowpen_playground::functions::WORKER_JS;
pub use host::{FunctionsHost, Runtime};

/// The sandbox frame's script: starts one worker per invocation and relays its messages.
pub const FRAME_JS: &str = include_str!("functions/frame.js");

/// Where the app serves the worker bootstrap ([`WORKER_JS`]), relative to the page (`www/index.html`
/// has Trunk copy it there).
pub const WORKER_URL: &str = "functions/worker.js";

/// Where the app serves the sandbox frame's script ([`FRAME_JS`]), relative to the page.
pub const FRAME_URL: &str = "functions/frame.js";

/// The document of the sandbox iframe (its `srcdoc`): the worker source as a JSON string literal,
/// with `<` escaped so that nothing in it can end the script element, then the frame's script.
pub fn frame_srcdoc(worker: &str, frame: &str) -> String {
    let runtime = serde_json::Value::String(worker.to_owned())
        .to_string()
        .replace('<', "\\u003c");
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Flowpen Functions sandbox</title>\
         </head><body><script>const RUNTIME_SOURCE = {runtime};\n{frame}</script></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use flowpen_testkit::shared_dir;

    use super::{frame_srcdoc, FRAME_JS, WORKER_JS};

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("read {}: {error}", path.display()))
    }

    /// The browser tests run handlers that make the same calls as the seeds' Functions (a wasm test
    /// cannot read ../shared): every key line of the seeds must appear in tests/functions_web/seeds.rs.
    #[test]
    fn seed_handlers_match_the_browser_tests() {
        let Some(shared) = shared_dir("seed_handlers_match_the_browser_tests") else {
            return;
        };
        let tests = read(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join("functions_web")
                .join("seeds.rs"),
        );
        let dog = read(&shared.join("seeds").join("002_function-samples.js"));
        let first_sample = dog
            .split("// --- Sample 2")
            .next()
            .unwrap_or_default()
            .to_owned();
        let random_page = read(&shared.join("seeds").join("000_413be32dd542646e.txt"));
        let random = random_page
            .split("```javascript")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_default()
            .to_owned();
        for (seed, code, markers) in [
            ("002 (dog breed)", first_sample, ["axios", "response."]),
            ("000 (random number)", random, ["event.", "callback("]),
        ] {
            let key_lines: Vec<&str> = code
                .lines()
                .map(str::trim)
                .filter(|line| !line.starts_with("//"))
                .filter(|line| markers.iter().any(|marker| line.contains(marker)))
                .collect();
            assert!(
                key_lines.len() >= 3,
                "seed {seed}: too few key lines {key_lines:?}"
            );
            for line in key_lines {
                assert!(
                    tests.contains(line),
                    "seed {seed}: {line:?} is missing from the browser tests' handler"
                );
            }
        }
    }

    /// The frame enforces the host's limits on a Function's output; both must say the same.
    #[test]
    fn the_frame_enforces_the_hosts_limits() {
        use flowpen_playground::functions::protocol::{
            MAX_CALL_LOG_CHARS, MAX_LOG_MESSAGE_CHARS, MAX_OUTCOME_CHARS,
        };
        for line in [
            format!("const MAX_LOG_MESSAGE = {MAX_LOG_MESSAGE_CHARS};"),
            format!("const MAX_CALL_LOG = {MAX_CALL_LOG_CHARS};"),
            format!("const MAX_OUTCOME = {MAX_OUTCOME_CHARS};"),
        ] {
            assert!(FRAME_JS.contains(&line), "frame.js lacks {line}");
        }
    }

    #[test]
    fn the_frame_script_can_be_inlined_in_html() {
        let lower = FRAME_JS.to_ascii_lowercase();
        assert!(!lower.contains('<'), "frame.js must not contain '<'");
        let doc = frame_srcdoc(WORKER_JS, FRAME_JS);
        assert_eq!(doc.to_ascii_lowercase().matches("</script").count(), 1);
        assert!(!doc.contains("<!--"));
        assert!(doc.contains("const RUNTIME_SOURCE = \""));
        assert!(
            doc.contains("exports.handler"),
            "the worker source is embedded"
        );
    }
}

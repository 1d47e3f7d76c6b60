//! The `flowpen` command's pure half. Two shells run the same command: the native CLI
//! (`flowpen-cli`: std's file system, threads, Node processes for playground Functions, `ureq`)
//! and the npm package's bin (`npx flowpen`: the package's wasm module, Node's `fs`,
//! `worker_threads` for playground Functions, `fetch`). Everything they print, and every rule about
//! which files are read and how, lives here once, so both give the same output and exit codes:
//!
//! - [`usage`]: the usage text; [`text`]: what a terminal may show (control characters escaped);
//! - [`check`]: `flowpen check` and `flowpen fmt` (diagnostics as text or JSON, formatting);
//! - [`test`]: `flowpen test`'s arguments ([`test::Options`]), finding `*.test.yaml` files,
//!   loading a test file and what it runs against ([`test::Loader`], sans-IO: the shell reads the
//!   files it asks for), the cases to run ([`test::jobs`]) and the reports (`report`: text,
//!   `--json`, `--junit`, `--coverage`).
//!
//! The file system is the shell's: [`Host`] is what a command asks of it (read a file with a size
//! limit, what a path is, a folder's entries, a canonical path, an environment variable). This
//! crate performs no IO itself.
//!
//! **Architecture Invariant:** pure like the core: no IO, no clock, and no browser crates
//! (`scripts/check-pure-core.sh`).

pub mod check;
pub mod test;
pub mod text;

/// What a path is on the shell's file system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Missing,
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadFailure {
    /// The file has this many bytes, more than the limit asked for.
    TooLarge(u64),
    /// The file system's own words (`No such file or directory (os error 2)`).
    Io(String),
}

/// The shell's file system and environment, as commands use them (synchronously).
pub trait Host {
    /// The bytes of a file, when it has at most `limit` bytes.
    fn read(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, ReadFailure>;
    /// What `path` is (following symbolic links).
    fn kind(&mut self, path: &str) -> Kind;
    /// The names of a folder's entries (none when it cannot be read).
    fn list(&mut self, dir: &str) -> Vec<String>;
    /// The canonical absolute path (symbolic links resolved), if it exists.
    fn canonical(&mut self, path: &str) -> Option<String>;
    /// An environment variable.
    fn var(&mut self, name: &str) -> Option<String>;
}

/// What a command prints, and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

/// Bytes read from a file as text, with std's error for invalid UTF-8 (what
/// `std::fs::read_to_string` says).
pub fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| "stream did not contain valid UTF-8".to_owned())
}

/// Text for the `usage:` lines of each subcommand, in the order `flowpen help` prints them.
pub mod usage {
    pub const CHECK: &str = "  flowpen check [--json] FLOW.json...
      Prints the diagnostics of each flow as `file:widget:field: severity code message`
      (or a JSON list with --json). Exits 1 when a flow has errors or cannot be read.";

    pub const FMT: &str = "  flowpen fmt FLOW.json
      Prints the flow as Studio exports it (2-space indent). An unedited Studio export comes back
      unchanged.";

    pub const RUN: &str = "  flowpen run [--call | --rest JSON | --conversation | --subflow JSON] [--subflow-file KEY=FILE]...
              [--from ADDR] [--to ADDR] [--steps] [--flow-data] FLOW.json
      Runs the flow in the terminal; standard input plays the contact, the caller and the outside
      world, standard output is the conversation.
      How it starts: --call (an incoming call), --rest '{\"From\":…,\"To\":…,\"Parameters\":{…}}'
      (a REST API execution, Parameters become flow.data), --conversation (a Conversations message:
      the first line), --subflow '{\"name\":…}' (started as a subflow with those
      trigger.parent.parameters). Without one, the start the flow's Trigger connects when it
      connects only one, else an incoming message: the first line. Standard error says which.
      --subflow-file KEY=FILE gives Run Subflow widgets a flow, found by KEY: the widget's flow_sid
      (FW…) or the widget's name. Repeatable.
      The flow's messages print as `> text`, its speech as `> say: text (voice, language)`, audio as
      `> play: URL`, DTMF as `> digits: …`; a Gather and a Record Voicemail say what they take, and
      a widget that waits for the outside world (Connect Call To, Enqueue Call, Send to Flex, Make
      Outgoing Call, Capture Payments, …) prints what it does and the events it can end with, with
      the variables each sets. Each input line is, while the flow waits:
        1234#            keys on a call (a line is all the caller types; then the Gather submits)
        speech: TEXT     what the caller says (confidence 0.9)
        record: TEXT     a voicemail recording (the text stands in for the audio)
        hangup           the caller hangs up (on a call)
        event: NAME k=v  the outside world answers with event NAME, setting variable k to v
                         (k=\"v w\" for a value with spaces)
        anything else    the contact's reply to Send & Wait For Reply
      Run Function and Make HTTP Request call their URLs for real (10 s, 64 kB, 2xx/3xx). When
      input ends, the caller hangs up (on a call), a waiting widget times out, or the execution is
      stopped (an outside wait without a timeout).
      --from/--to: the contact's and the flow's addresses (defaults +15550001111, +15550002222).
      --steps prints the step log, --flow-data the final Flow Data as JSON (both on stdout, after
      the conversation). Exits 0 when the execution ended normally (a transition without a next
      widget, or the caller hanging up), 1 otherwise.";

    pub const TEST: &str = "  flowpen test [--json] [--junit FILE] [--coverage] [--allow-network] [--filter TEXT] [--jobs N]
               [FILE|DIR]...
      Runs flow tests: each FILE.test.yaml (a DIR: every *.test.yaml under it; none: the current
      folder), its cases in parallel. Prints one line per case, for a failure the step that
      differed (expected vs what the flow did) and the transcript, then `N passed, N failed`;
      exits 1 when a case fails or a file cannot be read.
      --json prints the results as JSON; --junit FILE also writes JUnit XML for CI systems;
      --coverage lists per flow the widgets and transitions the cases went through and the ones
      none did; --filter TEXT runs the cases whose name contains TEXT (any case); --jobs N runs N
      cases at once (default: one per core).";

    /// How each shell runs what the runner cannot: the native CLI.
    pub const TEST_NATIVE: &str = "      Requests are answered by the case's stubs; https://flowpen.local/PATH without a stub runs
      the project's Function with Node (`node` on PATH, or FLOWPEN_NODE); --allow-network makes
      other unstubbed URLs real requests (10 s, 64 kB, 2xx/3xx), and without it they fail the case.";

    /// How each shell runs what the runner cannot: the npm package's bin.
    pub const TEST_NODE: &str = "      Requests are answered by the case's stubs; https://flowpen.local/PATH without a stub runs
      the project's Function in this Node process (a worker thread per call, stopped after 10 s);
      --allow-network makes other unstubbed URLs real requests (fetch: 10 s, 64 kB, 2xx/3xx), and
      without it they fail the case.";

    /// The native CLI's usage text (every subcommand).
    pub fn native() -> String {
        format!("usage:\n{CHECK}\n{FMT}\n{RUN}\n{TEST}\n{TEST_NATIVE}")
    }

    /// The npm package's bin's usage text (`flowpen run` is the native CLI's only).
    pub fn node() -> String {
        format!("usage:\n{CHECK}\n{FMT}\n{TEST}\n{TEST_NODE}")
    }
}

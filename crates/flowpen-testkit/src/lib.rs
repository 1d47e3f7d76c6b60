//! Test helpers shared by the workspace's test suites: golden files and access to `../shared`.
//!
//! Tests as data: a golden file holds the expected output of a check. `UPDATE_GOLDEN=1` rewrites the
//! golden files from the current output; otherwise a difference fails with a line diff.
//!
//! `../shared` (the Studio corpus, golden-liquid, the seeds) lives beside the repository. A test that
//! needs it calls [`shared_dir`]: when it is missing the test fails under `CI=true` and otherwise
//! skips with a printed reason.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Root of the workspace (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| here.to_path_buf())
}

/// A file's text.
///
/// # Panics
///
/// When it cannot be read (a test fixture that is missing is a failure).
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// One of golden-liquid's benchmark fixtures: `templates/index.liquid`, the other templates of
/// `templates/` as partials by file name, `data.json` (as text) and `expected_result.txt`.
pub struct BenchFixture {
    pub index: String,
    pub partials: Vec<(String, String)>,
    pub data: String,
    pub expected: String,
}

/// Reads the benchmark fixture in `dir`.
///
/// # Panics
///
/// When one of its files cannot be read.
pub fn bench_fixture(dir: &Path) -> BenchFixture {
    let mut partials = Vec::new();
    let mut index = String::new();
    for entry in std::fs::read_dir(dir.join("templates")).expect("templates dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name == "index.liquid" {
            index = read_text(&path);
        } else {
            partials.push((name, read_text(&path)));
        }
    }
    BenchFixture {
        index,
        partials,
        data: read_text(&dir.join("data.json")),
        expected: read_text(&dir.join("expected_result.txt")),
    }
}

/// The `../shared` directory, or `None` (after printing why) when it is missing outside CI.
///
/// # Panics
///
/// Under `CI=true` when the directory is missing: CI always has it, so a missing one is a failure.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("FLOWPEN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"));
    if dir.join("fixtures").is_dir() {
        return Some(dir);
    }
    let msg = format!(
        "{test}: ../shared not found at {} (set FLOWPEN_SHARED to point at it)",
        dir.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("SKIPPED {msg}");
    None
}

/// The Studio flow corpus: `(file name, text)` for every `*.json` in `shared/fixtures/studio-flows`,
/// sorted by name. `None` when `../shared` is missing (see [`shared_dir`]).
pub fn corpus(test: &str) -> Option<Vec<(String, String)>> {
    let dir = shared_dir(test)?.join("fixtures").join("studio-flows");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
            (name, text)
        })
        .collect();
    files.sort();
    Some(files)
}

/// Compares `actual` with the golden file at `path` (relative paths are relative to the calling
/// crate's directory, passed as `crate_dir`). With `UPDATE_GOLDEN=1` the file is (re)written instead.
///
/// # Panics
///
/// When the file is missing or differs, with a line diff of the first differences.
#[track_caller]
pub fn assert_golden(crate_dir: &str, path: &str, actual: &str) {
    let file = Path::new(crate_dir).join(path);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).expect("create golden dir");
        }
        std::fs::write(&file, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        panic!(
            "golden file {} is missing; run with UPDATE_GOLDEN=1 to create it",
            file.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the output (UPDATE_GOLDEN=1 rewrites it):\n{}",
            file.display(),
            line_diff(&expected, actual)
        );
    }
}

/// A short line-by-line diff: the first 20 lines that differ, `-` expected, `+` actual.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let (exp, act): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..exp.len().max(act.len()) {
        let (e, a) = (exp.get(i), act.get(i));
        if e != a {
            if let Some(e) = e {
                let _ = writeln!(out, "{:>5} - {e}", i + 1);
            }
            if let Some(a) = a {
                let _ = writeln!(out, "{:>5} + {a}", i + 1);
            }
            shown += 1;
            if shown == 20 {
                out.push_str("      …\n");
                break;
            }
        }
    }
    out
}

/// A generated Studio flow of `n` widgets after the Trigger, as JSON text, for benchmarks.
///
/// `mixed`: a realistic mix of every typed widget (Send & Wait, Split, Send Message, Run Function,
/// Set Variables, Make HTTP Request) with Liquid in their fields, laid out on a grid. Otherwise a
/// chain of Set Variables and Split widgets that runs from start to end without any input (for
/// engine throughput: `n + 1` steps).
pub fn generated_flow(n: usize, mixed: bool) -> String {
    let mut states = Vec::with_capacity(n + 1);
    let name = |i: usize| format!("w{i}");
    let next = |i: usize| {
        if i < n {
            format!("\"next\": \"{}\", ", name(i + 1))
        } else {
            String::new()
        }
    };
    states.push(
        r#"{"name": "Trigger", "type": "trigger", "transitions": [{"next": "w1", "event": "incomingMessage"}, {"next": "w1", "event": "incomingRequest"}], "properties": {"offset": {"x": 0, "y": 0}}}"#
            .to_owned(),
    );
    for i in 1..=n {
        let (x, y) = ((i % 10) * 300, (i / 10) * 250);
        let offset = format!("\"offset\": {{\"x\": {x}, \"y\": {y}}}");
        let prev = if i > 1 { name(i - 1) } else { "w1".to_owned() };
        let kind = match (mixed, i % 2) {
            (true, _) => i % 6,
            (false, 1) => 4,
            (false, _) => 1,
        };
        let state = match kind {
            0 => format!(
                "{{\"name\": \"{}\", \"type\": \"send-and-wait-for-reply\", \"transitions\": [{{{}\"event\": \"incomingMessage\"}}, {{\"event\": \"timeout\"}}, {{\"event\": \"deliveryFailure\"}}], \"properties\": {{{offset}, \"from\": \"{{{{flow.channel.address}}}}\", \"body\": \"Question {i}? You said {{{{widgets.{prev}.inbound.Body}}}}\", \"timeout\": \"3600\"}}}}",
                name(i), next(i)
            ),
            1 => format!(
                "{{\"name\": \"{}\", \"type\": \"split-based-on\", \"transitions\": [{{{}\"event\": \"noMatch\"}}, {{{}\"event\": \"match\", \"conditions\": [{{\"friendly_name\": \"If value equal_to {i}\", \"arguments\": [\"{{{{flow.variables.v{i}}}}}\"], \"type\": \"equal_to\", \"value\": \"x{i}\"}}]}}], \"properties\": {{{offset}, \"input\": \"{{{{flow.variables.v{i}}}}}\"}}}}",
                name(i), next(i), next(i)
            ),
            2 => format!(
                "{{\"name\": \"{}\", \"type\": \"send-message\", \"transitions\": [{{{}\"event\": \"sent\"}}, {{\"event\": \"failed\"}}], \"properties\": {{{offset}, \"from\": \"{{{{flow.channel.address}}}}\", \"to\": \"{{{{contact.channel.address}}}}\", \"body\": \"Step {i}: {{{{flow.variables.count | default: 0}}}}\"}}}}",
                name(i), next(i)
            ),
            3 => format!(
                "{{\"name\": \"{}\", \"type\": \"run-function\", \"transitions\": [{{{}\"event\": \"success\"}}, {{\"event\": \"fail\"}}], \"properties\": {{{offset}, \"parameters\": [{{\"key\": \"n\", \"value\": \"{{{{widgets.{prev}.parsed.n | plus: 1}}}}\"}}], \"url\": \"https://example.twil.io/f{i}\"}}}}",
                name(i), next(i)
            ),
            5 => format!(
                "{{\"name\": \"{}\", \"type\": \"make-http-request\", \"transitions\": [{{{}\"event\": \"success\"}}, {{\"event\": \"failed\"}}], \"properties\": {{{offset}, \"method\": \"GET\", \"content_type\": \"application/x-www-form-urlencoded;charset=utf-8\", \"parameters\": [{{\"key\": \"q\", \"value\": \"{{{{flow.variables.v{i}}}}}\"}}], \"url\": \"https://example.com/api/{i}\"}}}}",
                name(i), next(i)
            ),
            _ => format!(
                "{{\"name\": \"{}\", \"type\": \"set-variables\", \"transitions\": [{{{}\"event\": \"next\"}}], \"properties\": {{\"variables\": [{{\"key\": \"count\", \"value\": \"{{% if flow.variables.count %}}{{{{flow.variables.count | plus: 1}}}}{{% else %}}1{{% endif %}}\"}}, {{\"key\": \"v{}\", \"value\": \"x{{{{flow.variables.count}}}}\"}}], {offset}}}}}",
                name(i), next(i), i + 1
            ),
        };
        states.push(state);
    }
    format!(
        "{{\n  \"description\": \"Generated flow of {n} widgets\",\n  \"states\": [\n    {}\n  ],\n  \"initial_state\": \"Trigger\",\n  \"flags\": {{\"allow_concurrent_calls\": true}}\n}}\n",
        states.join(",\n    ")
    )
}

/// A small, fast, reproducible random number generator for generated tests (xorshift64*): the
/// same seed gives the same cases on every machine.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A copy of one of `items` (which must not be empty).
    pub fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

#[cfg(test)]
mod tests {
    use super::generated_flow;

    #[test]
    fn generated_flows_are_json_with_the_asked_size() {
        for mixed in [true, false] {
            let text = generated_flow(12, mixed);
            assert_eq!(text.matches("\"name\": \"w").count(), 12, "{text}");
            assert!(text.contains("\"name\": \"w12\""));
        }
    }
}

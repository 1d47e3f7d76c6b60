//! `flowpen test`: its arguments, the test files it finds, the cases it runs and what it prints.
//! A shell (the native CLI, the npm package's bin) parses the arguments with [`parse_options`],
//! finds the files with [`collect`], loads each with a [`Loader`], runs the cases [`jobs`] lists
//! (answering the runner's `ShellRequest`s its own way) and prints [`report`]'s output.

mod load;
mod report;

use std::path::Path;

use flowpen_playground::flowtest::CaseResult;

use crate::{Host, Kind};
pub use load::{find, shared_dir, shared_dir_for, Loaded, Loader, MAX_FLOW_BYTES};
pub use report::{as_json, report, Report};

/// What the command line asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub paths: Vec<String>,
    pub json: bool,
    pub junit: Option<String>,
    pub coverage: bool,
    pub allow_network: bool,
    pub filter: Option<String>,
    pub jobs: Option<usize>,
}

/// Reads `flowpen test`'s arguments; `Err` says what is wrong (the shell prints it with the usage
/// text and exits 2).
pub fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--json" => o.json = true,
            "--coverage" => o.coverage = true,
            "--allow-network" => o.allow_network = true,
            "--junit" => o.junit = Some(value("--junit")?),
            "--filter" => o.filter = Some(value("--filter")?),
            "--jobs" => {
                let n = value("--jobs")?;
                o.jobs = Some(
                    n.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=256).contains(n))
                        .ok_or("--jobs takes a number from 1 to 256")?,
                );
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => o.paths.push(path.to_owned()),
        }
    }
    if o.paths.is_empty() {
        o.paths.push(".".into());
    }
    Ok(o)
}

/// The engine's error for a request that got no answer within its time limit (`--allow-network`).
pub fn network_timeout(request: &flowpen_engine::HttpRequest) -> flowpen_engine::TransportError {
    flowpen_engine::TransportError {
        kind: flowpen_engine::TransportErrorKind::Timeout,
        message: format!("no response within {} s", request.timeout_ms / 1000),
    }
}

/// What the usage error of `flowpen test` prints (on standard error, exit 2).
pub fn usage_error(message: &str, usage: &str) -> String {
    format!("flowpen test: {message}\n\n{usage}\n")
}

/// A path `flowpen test` was given or found: a test file to load, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    File(String),
    /// (the path as given, the error line)
    Error(String, String),
}

/// The test files the arguments name: each folder's `*.test.yaml` files (see [`find`]), each
/// file as given, errors for a folder without test files and a path that does not exist. Errors
/// come first, in the order given, then the files (as the report lists them).
pub fn collect(paths: &[String], host: &mut dyn Host) -> Vec<Found> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match host.kind(p) {
            Kind::Dir => {
                let before = files.len();
                find(p, host, &mut files);
                if files.len() == before {
                    errors.push(Found::Error(
                        p.clone(),
                        format!("{p}: error no *.test.yaml file here"),
                    ));
                }
            }
            Kind::File => files.push(Path::new(p).display().to_string()),
            Kind::Missing => errors.push(Found::Error(
                p.clone(),
                format!("{p}: error no such file or folder"),
            )),
        }
    }
    errors.extend(files.into_iter().map(Found::File));
    errors
}

/// One test file: loaded, or (the path, why not).
pub type FileEntry = Result<Loaded, (String, String)>;

/// A case's result and how long it took (the shell's clock).
#[derive(Clone, Debug)]
pub struct Ran {
    pub file: usize,
    pub result: CaseResult,
    pub seconds: f64,
}

/// The cases to run, as (file, case) positions: every case of every loaded file whose name
/// contains `filter` (case-insensitively), in order.
pub fn jobs(files: &[FileEntry], filter: Option<&str>) -> Vec<(usize, usize)> {
    let filter = filter.map(str::to_lowercase);
    files
        .iter()
        .enumerate()
        .filter_map(|(f, entry)| entry.as_ref().ok().map(|l| (f, l)))
        .flat_map(|(f, l)| {
            let filter = filter.clone();
            l.file
                .cases
                .iter()
                .enumerate()
                .filter(move |(_, c)| {
                    filter
                        .as_deref()
                        .is_none_or(|needle| c.name.to_lowercase().contains(needle))
                })
                .map(move |(c, _)| (f, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{parse_options, Options};

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_and_their_errors() {
        assert_eq!(
            parse_options(&[]).unwrap(),
            Options {
                paths: vec![".".into()],
                ..Options::default()
            }
        );
        let o = parse_options(&args(&[
            "--json",
            "--junit",
            "j.xml",
            "--coverage",
            "--filter",
            "x",
            "--jobs",
            "3",
            "a",
            "b",
        ]))
        .unwrap();
        assert!(o.json && o.coverage && !o.allow_network);
        assert_eq!(o.junit.as_deref(), Some("j.xml"));
        assert_eq!((o.filter.as_deref(), o.jobs), (Some("x"), Some(3)));
        assert_eq!(o.paths, ["a", "b"]);
        assert_eq!(
            parse_options(&args(&["--jobs", "0"])).unwrap_err(),
            "--jobs takes a number from 1 to 256"
        );
        assert_eq!(
            parse_options(&args(&["--junit"])).unwrap_err(),
            "--junit needs a value"
        );
        assert_eq!(
            parse_options(&args(&["--frobnicate"])).unwrap_err(),
            "unknown option --frobnicate"
        );
    }
}

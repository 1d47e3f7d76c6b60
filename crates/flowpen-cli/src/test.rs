//! `flowpen test`: runs flow test files (`*.test.yaml`) with the pure runner
//! (`flowpen_playground::flowtest`), the same one the browser's Tests panel uses, and answers what
//! the runner cannot: project Functions with Node (`node`), and with `--allow-network` real HTTP
//! requests under Studio's rules (`http`). Cases run in parallel, one runner per thread and file.

mod load;
mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use flowpen_playground::flowtest::{
    CaseResult, RunOptions, Runner, ShellAnswer, ShellRequest, Target,
};
use flowpen_playground::project::FunctionsProject;

use crate::{http, node, USAGE};
use load::Loaded;

/// What the command line asks for.
pub(crate) struct Options {
    paths: Vec<String>,
    json: bool,
    junit: Option<String>,
    coverage: bool,
    allow_network: bool,
    filter: Option<String>,
    jobs: Option<usize>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        paths: Vec::new(),
        json: false,
        junit: None,
        coverage: false,
        allow_network: false,
        filter: None,
        jobs: None,
    };
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

/// One test file: read, or why not.
pub(crate) type FileEntry = Result<Loaded, (String, String)>;

/// A case's result and how long it took.
pub(crate) struct Ran {
    pub file: usize,
    pub result: CaseResult,
    pub seconds: f64,
}

#[allow(clippy::disallowed_methods)] // the shell times the cases for JUnit; the core never reads a clock
fn now() -> std::time::Instant {
    std::time::Instant::now()
}

/// Answers a runner's request: a project Function with Node, anything else over the network.
fn answer(request: &ShellRequest, functions: &FunctionsProject) -> ShellAnswer {
    match request {
        ShellRequest::Function { request, options } => {
            match node::invoke(functions, request, options) {
                Ok(inv) => ShellAnswer::Response {
                    result: Ok(inv.response),
                    logs: inv.logs,
                },
                Err(message) => ShellAnswer::Fail(message),
            }
        }
        ShellRequest::Network { request } => ShellAnswer::Response {
            result: http::perform(request),
            logs: Vec::new(),
        },
    }
}

/// Runs the cases of the loaded files (those `filter` keeps), in parallel.
fn run_all(files: &[FileEntry], o: &Options) -> Vec<Ran> {
    let filter = o.filter.as_deref().map(str::to_lowercase);
    let jobs: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .filter_map(|(f, entry)| entry.as_ref().ok().map(|l| (f, l)))
        .flat_map(|(f, l)| {
            l.file
                .cases
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    filter
                        .as_deref()
                        .is_none_or(|needle| c.name.to_lowercase().contains(needle))
                })
                .map(move |(c, _)| (f, c))
        })
        .collect();
    let threads = o
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .min(jobs.len())
        .max(1);
    let options = RunOptions {
        allow_network: o.allow_network,
    };
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Ran>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // A runner holds Rc'd flows and a Liquid cache: one per thread and file.
                let mut runners: BTreeMap<usize, (Target, Runner)> = BTreeMap::new();
                loop {
                    let j = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(f, c)) = jobs.get(j) else { break };
                    let Some(Ok(loaded)) = files.get(f) else {
                        continue;
                    };
                    let (target, runner) = runners.entry(f).or_insert_with(|| {
                        let target = loaded.target();
                        let runner = Runner::new(&target, &loaded.file, options);
                        (target, runner)
                    });
                    let started = now();
                    let functions = &target.functions;
                    let result = runner.run(c, &loaded.file.cases[c], &mut |request| {
                        answer(request, functions)
                    });
                    let ran = Ran {
                        file: f,
                        result,
                        seconds: started.elapsed().as_secs_f64(),
                    };
                    if let Ok(mut slots) = done.lock() {
                        slots[j] = Some(ran);
                    }
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

pub(crate) fn test(args: &[String]) -> ExitCode {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("flowpen test: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut files: Vec<FileEntry> = Vec::new();
    for p in &o.paths {
        let path = Path::new(p);
        if path.is_dir() {
            let before = paths.len();
            load::find(path, &mut paths);
            if paths.len() == before {
                files.push(Err((
                    p.clone(),
                    format!("{p}: error no *.test.yaml file here"),
                )));
            }
        } else if path.exists() {
            paths.push(path.to_path_buf());
        } else {
            files.push(Err((
                p.clone(),
                format!("{p}: error no such file or folder"),
            )));
        }
    }
    for path in &paths {
        files.push(load::load(path).map_err(|e| (path.display().to_string(), e)));
    }
    let results = run_all(&files, &o);
    let failed = report::report(&files, &results, &o);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

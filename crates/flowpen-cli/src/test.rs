//! `flowpen test`: runs flow test files (`*.test.yaml`) with the pure runner
//! (`flowpen_playground::flowtest`), the same one the browser's Tests panel uses, and answers what
//! the runner cannot: project Functions with Node (`node`), and with `--allow-network` real HTTP
//! requests under Studio's rules (`http`). Cases run in parallel, one runner per thread and file.
//! Arguments, finding and loading the files, and the reports are `flowpen_command::test`'s,
//! shared with the npm package's `npx flowpen test`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use flowpen_command::test::{self, FileEntry, Found, Loader, Options, Ran};
use flowpen_command::usage;
use flowpen_playground::flowtest::{RunOptions, Runner, ShellAnswer, ShellRequest, Target};
use flowpen_playground::project::FunctionsProject;

use crate::fs::StdHost;
use crate::{http, node};

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
    let jobs = test::jobs(files, o.filter.as_deref());
    let threads = o
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .min(jobs.len())
        .max(1);
    let options = RunOptions {
        allow_network: o.allow_network,
        ..RunOptions::default()
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
    let o = match test::parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprint!("{}", test::usage_error(&e, &usage::native()));
            return ExitCode::from(2);
        }
    };
    let files: Vec<FileEntry> = test::collect(&o.paths, &mut StdHost)
        .into_iter()
        .map(|found| match found {
            Found::Error(path, message) => Err((path, message)),
            Found::File(path) => {
                let loaded = Loader::load(&path, &mut StdHost).map_err(|e| (path, e))?;
                for note in &loaded.notes {
                    eprintln!("{note}");
                }
                Ok(loaded)
            }
        })
        .collect();
    let results = run_all(&files, &o);
    let report = test::report(&files, &results, &o);
    print!("{}", report.stdout);
    let _ = std::io::stdout().flush();
    let mut failed = report.failed;
    if let Some((path, xml)) = &report.junit {
        if let Err(e) = std::fs::write(path, xml) {
            eprintln!("flowpen test: cannot write {path}: {e}");
            failed = true;
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

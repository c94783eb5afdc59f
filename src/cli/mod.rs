//! The `toss-shopping` command-line tool (the `cli` feature): every operation of the spec as a
//! subcommand, plus `token`, `doctor`, `serve-local` and `operations`. See `docs/cli.md`.
//!
//! The subcommands are built at run time from [`crate::operations`], and each runs through a
//! runner generated from the spec (`codegen/src/cli.rs`) that sets the request builder's
//! parameters and sends it exactly as an SDK user would: retries, rate limits, typed errors.

mod commands;
mod config;
mod doctor;
mod exit;
mod local;
mod output;
pub(crate) mod run;
mod token;

use std::process::ExitCode;

use clap::ArgMatches;
use serde_json::Value;

use crate::operation::operations;
use crate::window::KstRange;
use config::Settings;
use run::{CliError, Request, kebab};

/// Runs the tool with the process's arguments and environment; the binary's whole `main`.
pub fn main() -> ExitCode {
    let matches = commands::command().get_matches();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&CliError::Other(format!("starting the runtime: {error}"))),
    };
    match runtime.block_on(dispatch(&matches)) {
        Ok(code) => code,
        Err(CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// Prints the failure's JSON on stderr and gives its exit code.
fn fail(error: &CliError) -> ExitCode {
    let (exit, object) = exit::report(error);
    output::warn(object);
    exit.code()
}

async fn dispatch(matches: &ArgMatches) -> Result<ExitCode, CliError> {
    let settings = Settings::from_matches(matches);
    let Some((name, sub)) = matches.subcommand() else {
        return Err(CliError::usage("no command given; see --help"));
    };
    match name {
        "token" => token::run(&settings, sub.get_flag("show-token")).await,
        "doctor" => doctor::run(&settings).await,
        "serve-local" => local::run(sub.get_one::<u16>("port").copied()).await,
        "operations" => list_operations(&settings),
        _ => call(&settings, name, sub).await,
    }
}

/// Runs the operation whose subcommand is `name`.
async fn call(settings: &Settings, name: &str, sub: &ArgMatches) -> Result<ExitCode, CliError> {
    let (index, meta) = operations()
        .iter()
        .enumerate()
        .find(|(_, op)| kebab(op.operation_id) == name)
        .ok_or_else(|| CliError::usage(format!("unknown command {name}")))?;
    let runner = crate::api::cli::RUNNERS
        .get(index)
        .ok_or_else(|| CliError::Other(format!("no runner for {name}")))?;
    let request = request(meta, sub)?;
    let client = settings.client()?;
    let answer = runner(&client, &request).await?;
    output::print(meta, answer, settings.table).await?;
    Ok(ExitCode::SUCCESS)
}

/// What the subcommand's flags ask for.
fn request(meta: &crate::OperationMeta, sub: &ArgMatches) -> Result<Request, CliError> {
    let values = meta
        .params
        .iter()
        .filter_map(|param| {
            let value = sub.try_get_one::<String>(param.name).ok().flatten()?;
            Some((param.name.to_string(), value.clone()))
        })
        .collect();
    let body = sub
        .try_get_one::<String>("body")
        .ok()
        .flatten()
        .map(|text| read_body(text))
        .transpose()?;
    let all = sub
        .try_get_one::<bool>("all")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    let range = date_range(sub)?;
    Ok(Request {
        values,
        body,
        all,
        range,
    })
}

/// `--body '<json>'`, `--body @file.json` or `--body -` (stdin).
fn read_body(text: &str) -> Result<Value, CliError> {
    let raw = match text {
        "-" => std::io::read_to_string(std::io::stdin())
            .map_err(|e| CliError::usage(format!("--body -: reading stdin: {e}")))?,
        _ => match text.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("--body @{path}: {e}")))?,
            None => text.to_string(),
        },
    };
    serde_json::from_str(&raw).map_err(|e| CliError::usage(format!("--body is not JSON: {e}")))
}

/// `--from`/`--to` as a Korean-calendar range.
fn date_range(sub: &ArgMatches) -> Result<Option<KstRange>, CliError> {
    let day = |id: &str| -> Result<Option<chrono::NaiveDate>, CliError> {
        sub.try_get_one::<String>(id)
            .ok()
            .flatten()
            .map(|text| {
                text.parse().map_err(|_| {
                    CliError::usage(format!("--{id}: {text:?} is not a day like 2026-12-02"))
                })
            })
            .transpose()
    };
    match (day("from")?, day("to")?) {
        (Some(from), Some(to)) => KstRange::new(from, to)
            .map(Some)
            .map_err(|e| CliError::usage(format!("--from/--to: {e}"))),
        _ => Ok(None),
    }
}

/// `operations`: the table of every operation.
fn list_operations(settings: &Settings) -> Result<ExitCode, CliError> {
    let rows: Vec<Value> = operations()
        .iter()
        .map(|op| {
            serde_json::json!({
                "id": op.reference_id,
                "command": kebab(op.operation_id),
                "method": op.method,
                "path": op.path,
                "limit": format!("{:?}", op.rate_limit).to_lowercase(),
                "retry": format!("{:?}", op.retry).to_lowercase(),
                "confidence": format!("{:?}", op.confidence).to_lowercase(),
            })
        })
        .collect();
    output::print_rows(&rows, settings.table)?;
    Ok(ExitCode::SUCCESS)
}

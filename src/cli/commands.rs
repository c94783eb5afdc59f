//! The command line: one subcommand per operation of the spec, built at run time from the
//! operations table (names, flags, help and limits all come from the spec), and the tool's
//! own commands.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command};

use super::run::kebab;
use crate::operation::{OperationMeta, Pagination, ParamKind, operations};

/// The parameter every operation takes that the tool sets from `--partner-name` instead.
const PARTNER_NAME: &str = "partnerName";

/// The whole command line.
pub(crate) fn command() -> Command {
    Command::new("toss-shopping")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Toss Shopping (토스쇼핑) seller API from the command line")
        .after_help(
            "Exit codes: 0 success, 1 API error, 2 usage error, 3 auth error, 4 network error, \
             5 rate-limited. Failures of a command are printed on stderr as JSON with errorCode, reason \
             and status; a malformed command line gets the usual usage text.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
        .subcommands(operations().iter().map(operation_command))
        .subcommand(
            Command::new("token")
                .about("Issue (or reuse the cached) access token and print its expiry")
                .arg(flag("show-token", "Also print the token itself (a secret)")),
        )
        .subcommand(Command::new("doctor").about(
            "Check the keys, the route to Toss and the clock, and say how to fix what is wrong",
        ))
        .subcommand(
            Command::new("serve-local")
                .about("Run the built-in local Toss server and print its URLs and demo keys")
                .arg(
                    Arg::new("port")
                        .long("port")
                        .value_name("PORT")
                        .value_parser(clap::value_parser!(u16))
                        .help("Listen on this port of 127.0.0.1 (default: a free one)"),
                ),
        )
        .subcommand(
            Command::new("operations")
                .about("List every operation: id, method, path, rate limit, retry safety, confidence"),
        )
}

/// The flags every command takes, each also readable from the environment.
fn global_args() -> Vec<Arg> {
    let setting = |id: &'static str, env: &'static str, help: &'static str| {
        Arg::new(id).long(id).env(env).global(true).help(help)
    };
    vec![
        setting("access-key", "TOSS_ACCESS_KEY", "The seller's Access Key"),
        setting("secret-key", "TOSS_SECRET_KEY", "The seller's Secret Key").hide_env_values(true),
        setting("env", "TOSS_ENV", "Which Toss environment")
            .value_parser(["production", "alpha"])
            .default_value("production"),
        setting(
            "base-url",
            "TOSS_API_BASE_URL",
            "The API base URL, instead of the environment's",
        ),
        setting(
            "token-url",
            "TOSS_TOKEN_URL",
            "The token endpoint, instead of the environment's",
        ),
        setting(
            "partner-name",
            "TOSS_PARTNER_NAME",
            "Sent as `partnerName` with every call",
        ),
        setting(
            "cache-dir",
            "TOSS_CACHE_DIR",
            "Where tokens are cached (default: the user's cache directory)",
        ),
        Arg::new("output")
            .long("output")
            .global(true)
            .value_parser(["json", "table"])
            .default_value("json")
            .help("Print JSON, or a table for lists"),
    ]
}

/// The subcommand of one operation.
fn operation_command(op: &'static OperationMeta) -> Command {
    let mut command = Command::new(kebab(op.operation_id))
        .about(op.summary)
        .long_about(long_about(op));
    for param in op.params.iter().filter(|p| p.name != PARTNER_NAME) {
        // A window's own dates are not needed when --from/--to give the range.
        let bound = op
            .window
            .is_some_and(|w| w.from == param.name || w.to == param.name);
        let mut arg = Arg::new(param.name)
            .long(kebab(param.name))
            .help(param.description)
            .required(param.required && !bound);
        if param.required && bound {
            arg = arg.required_unless_present("from");
        }
        arg = match param.kind {
            ParamKind::Integer => arg.value_name("N"),
            ParamKind::Date => arg.value_name("YYYY-MM-DD"),
            ParamKind::OneOf(values) => {
                arg.value_parser(PossibleValuesParser::new(values.iter().copied()))
            }
            ParamKind::Text => arg.value_name("TEXT"),
        };
        command = command.arg(arg);
    }
    if let Some(schema) = op.request_body {
        command = command.arg(
            Arg::new("body")
                .long("body")
                .value_name("JSON")
                .required(true)
                .help(format!(
                    "The request body ({schema}): inline JSON, @file.json, or - for stdin"
                )),
        );
    }
    if op.pagination.style != Pagination::None {
        command = command.arg(flag("all", "Every item of every page, one JSON line each"));
    }
    if let Some(window) = op.window {
        let help = format!(
            "With --to: any date range (KST), read in windows of {} days",
            window.max_days
        );
        command = command
            .arg(
                Arg::new("from")
                    .long("from")
                    .value_name("YYYY-MM-DD")
                    .requires("to")
                    .help(help),
            )
            .arg(
                Arg::new("to")
                    .long("to")
                    .value_name("YYYY-MM-DD")
                    .requires("from")
                    .help("The last day of the --from range"),
            );
    }
    command
}

/// The spec's facts about an operation, for `--help`.
fn long_about(op: &OperationMeta) -> String {
    let paging = match op.pagination.style {
        Pagination::None => "not paged".to_string(),
        style => format!("paged ({style:?}; --all reads every page)"),
    };
    let window = op
        .window
        .map(|w| {
            format!(
                "\nDate window: at most {} days (--from/--to walk any range)",
                w.max_days
            )
        })
        .unwrap_or_default();
    format!(
        "{}\n\n{} {} {}\nRate limit: {:?} ({}/s per seller) · retry: {:?} · evidence: {:?} · {paging}{window}",
        op.summary,
        op.reference_id,
        op.method,
        op.path,
        op.rate_limit,
        op.rate_limit.requests_per_second(),
        op.retry,
        op.confidence,
    )
}

fn flag(id: &'static str, help: &'static str) -> Arg {
    Arg::new(id).long(id).action(ArgAction::SetTrue).help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }

    /// `docs/cli.md` is generated from the spec by the xtask, the commands at run time from
    /// the operations table: both must name the same commands and flags.
    #[test]
    fn the_generated_reference_documents_every_command_and_flag() {
        let reference = include_str!("../../docs/cli.md");
        for op in operations() {
            let command = kebab(op.operation_id);
            assert!(
                reference.contains(&format!("#### `{command}`")),
                "{command}"
            );
            for param in op.params.iter().filter(|p| p.name != PARTNER_NAME) {
                let flag = format!("`--{} <", kebab(param.name));
                assert!(reference.contains(&flag), "{command} {flag}");
            }
        }
    }

    #[test]
    fn every_operation_is_a_subcommand_with_its_parameters_as_flags() {
        let command = command();
        for op in operations() {
            let sub = command
                .find_subcommand(kebab(op.operation_id))
                .unwrap_or_else(|| panic!("no subcommand for {}", op.operation_id));
            for param in op.params.iter().filter(|p| p.name != PARTNER_NAME) {
                assert!(
                    sub.get_arguments()
                        .any(|a| a.get_long() == Some(kebab(param.name).as_str())),
                    "{}: no --{}",
                    op.operation_id,
                    kebab(param.name)
                );
            }
        }
    }
}

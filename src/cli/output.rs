//! Printing answers: a payload as JSON, streamed items as JSON lines (with a progress bar on
//! stderr when it is a terminal), or a table for lists a person reads.

use std::io::Write;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use super::run::{Answer, CliError};
use crate::operation::OperationMeta;

/// The widest a table cell gets before it is cut.
const CELL: usize = 32;
/// The most columns a table shows (the scalar fields of the first row, in order).
const COLUMNS: usize = 10;

/// Prints an operation's answer.
pub(crate) async fn print(
    meta: &OperationMeta,
    answer: Answer<'_>,
    table: bool,
) -> Result<(), CliError> {
    match answer {
        Answer::One(payload) if table => match rows_of(meta, &payload) {
            Some(rows) => write_table(rows),
            None => write_json(&payload),
        },
        Answer::One(payload) => write_json(&payload),
        Answer::Lines(items) => print_lines(items, table).await,
    }
}

/// Items as they come, one JSON line each, or collected into one table.
async fn print_lines(
    mut items: futures_util::stream::BoxStream<'_, Result<Value, CliError>>,
    table: bool,
) -> Result<(), CliError> {
    let progress = progress();
    let mut collected = Vec::new();
    let mut stdout = std::io::stdout().lock();
    while let Some(item) = items.next().await {
        let item = item.inspect_err(|_| progress.abandon())?;
        progress.inc(1);
        if table {
            collected.push(item);
        } else {
            writeln!(stdout, "{item}").map_err(io)?;
        }
    }
    progress.finish_and_clear();
    drop(stdout);
    if table {
        write_table(&collected)?;
    }
    Ok(())
}

/// A counter on stderr, drawn only when stderr is a terminal.
fn progress() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} items read ({per_sec})") {
        bar.set_style(style);
    }
    bar
}

/// The rows of a list payload: the page's items (the spec's paging `items`, or the only
/// array in the payload).
fn rows_of<'v>(meta: &OperationMeta, payload: &'v Value) -> Option<&'v Vec<Value>> {
    if let Some(items) = meta.pagination.items {
        return payload.get(items)?.as_array();
    }
    let mut arrays = payload.as_object()?.values().filter_map(Value::as_array);
    match (arrays.next(), arrays.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn write_json(value: &Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Other(e.to_string()))?;
    writeln!(std::io::stdout().lock(), "{text}").map_err(io)
}

/// What a person looks for first in a row, by the field's name: statuses, ids, names,
/// amounts, then times. Fields that match none come last, in name order.
const COLUMN_HINTS: [&str; 10] = [
    "status", "Status", "id", "Id", "name", "Name", "quantity", "rice", "At", "Date",
];

/// The columns of a table: the first row's scalar fields, the likeliest first.
fn columns(rows: &[Value]) -> Vec<&str> {
    let Some(first) = rows.first().and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut columns: Vec<&str> = first
        .iter()
        .filter(|(_, value)| !value.is_array() && !value.is_object())
        .map(|(key, _)| key.as_str())
        .collect();
    let rank = |key: &str| {
        COLUMN_HINTS
            .iter()
            .position(|hint| key == *hint || key.ends_with(hint))
            .unwrap_or(COLUMN_HINTS.len())
    };
    columns.sort_by_key(|key| rank(key));
    columns.truncate(COLUMNS);
    columns
}

/// A plain-text table of the rows' likeliest scalar fields.
fn write_table(rows: &[Value]) -> Result<(), CliError> {
    let columns = columns(rows);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|column| cell(row.get(*column)))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            cells
                .iter()
                .map(|row| row.get(i).map_or(0, |cell| cell.chars().count()))
                .chain([column.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let line = |values: Vec<&str>| {
        values
            .iter()
            .zip(&widths)
            .map(|(value, width)| {
                let pad = width.saturating_sub(value.chars().count());
                format!("{value}{}", " ".repeat(pad))
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", line(columns.clone())).map_err(io)?;
    for row in &cells {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect())).map_err(io)?;
    }
    writeln!(out, "({} rows)", rows.len()).map_err(io)
}

fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    };
    match text.char_indices().nth(CELL) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A reader that went away (`| head`) ends the output quietly; anything else is a failure.
fn io(error: std::io::Error) -> CliError {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::OutputClosed
    } else {
        CliError::Other(format!("writing the answer: {error}"))
    }
}

/// One line of a human-readable report on stdout (`doctor`, `token`). A closed stdout is not
/// worth failing over, and `println!` would panic on it.
pub(crate) fn say(line: impl std::fmt::Display) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// One line on stderr, best effort, for the same reason.
pub(crate) fn warn(line: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Rows the tool made itself (e.g. `operations`): a table, or a JSON array.
pub(crate) fn print_rows(rows: &[Value], table: bool) -> Result<(), CliError> {
    if table {
        write_table(rows)
    } else {
        write_json(&Value::Array(rows.to_vec()))
    }
}

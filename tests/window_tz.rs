//! Date windows do not depend on the machine's time zone.
//!
//! The test runs this binary again as child processes, each with another `TZ`, and each child
//! prints the windows of the last 90 days at one fixed instant. Every child must print the same
//! Korean windows. Each child also prints what the machine's zone makes of the instant, so the
//! test shows that the zone really differed (a helper reading `Local` would get another date).

use std::process::Command;
use std::time::SystemTime;

use chrono::{DateTime, Local, NaiveDate, Utc};
use toss_shopping::auth::ManualClock;
use toss_shopping::window::KstRange;

/// Set in the child processes.
const CHILD: &str = "TOSS_SHOPPING_WINDOW_TZ_CHILD";
/// 00:30 on 11 July in Korea; 10 July in UTC and in every zone west of UTC+8:30.
const INSTANT: &str = "2026-07-10T15:30:00Z";

fn instant() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(INSTANT)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// The windows of the last 90 days at [`INSTANT`], one `first last` line each.
fn windows_text() -> String {
    let clock = ManualClock::at(SystemTime::from(instant()));
    let range = KstRange::last_days(90, &clock).expect("range");
    let max = std::num::NonZeroU32::new(31).expect("not zero");
    range
        .windows(max)
        .map(|w| format!("{} {}\n", w.first(), w.last()))
        .collect()
}

/// Prints, in a child only, the machine zone's date of the instant and the windows.
#[test]
fn child_prints_its_windows() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let local = instant().with_timezone(&Local);
    // The test harness has printed the test's name without a line break.
    println!("\nLOCAL-DATE {}", local.date_naive());
    for line in windows_text().lines() {
        println!("WINDOW {line}");
    }
}

/// Runs [`child_prints_its_windows`] under `tz`; gives the local date and the window lines.
fn run_child(tz: &str) -> (NaiveDate, String) {
    let exe = std::env::current_exe().expect("test binary path");
    let output = Command::new(exe)
        .args(["child_prints_its_windows", "--exact", "--nocapture"])
        .args(["--test-threads", "1"])
        .env(CHILD, "1")
        .env("TZ", tz)
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child under TZ={tz} failed:\n{stdout}"
    );
    let local = stdout
        .lines()
        .find_map(|l| l.strip_prefix("LOCAL-DATE "))
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("no local date from TZ={tz}:\n{stdout}"));
    let windows = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("WINDOW "))
        .map(|l| format!("{l}\n"))
        .collect();
    (local, windows)
}

#[test]
fn windows_are_the_same_in_every_machine_time_zone() {
    let expected = "2026-04-13 2026-05-13\n2026-05-13 2026-06-12\n2026-06-12 2026-07-11\n";
    assert_eq!(windows_text(), expected, "in this process");
    let day = |d| NaiveDate::from_ymd_opt(2026, 7, d).expect("valid date");
    // POSIX zone strings need no time-zone database on the machine. The named zone is read
    // from the database when there is one; without it, libc and chrono fall back to UTC,
    // which is still a zone other than Korea's.
    for (tz, local_dates) in [
        ("PST8PDT,M3.2.0,M11.1.0", &[day(10)][..]),
        ("America/Los_Angeles", &[day(10)][..]),
        ("UTC0", &[day(10)][..]),
        ("<+14>-14", &[day(11)][..]),
        ("KST-9", &[day(11)][..]),
    ] {
        let (local, windows) = run_child(tz);
        assert!(
            local_dates.contains(&local),
            "TZ={tz}: the machine's date was {local}"
        );
        assert_eq!(windows, expected, "TZ={tz}");
    }
}

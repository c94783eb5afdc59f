//! Running the real `toss-shopping` binary: a clean environment per child (no inherited
//! `TOSS_*` or proxy variables, a token cache of its own), and what it printed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;
use toss_shopping::local::LocalServer;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_toss-shopping");

/// 2026-07-20 12:00 KST: where the manual clocks of the in-process servers stand, so the
/// demo data and every date in a test are the same on every run.
pub const NOON_KST: u64 = 1_784_516_400;

/// That instant as a wall time.
pub fn noon() -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOON_KST)
}

/// Proxy variables, removed from every child unless a test sets them.
const PROXY_VARIABLES: [&str; 4] = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"];

static NEXT: AtomicU64 = AtomicU64::new(0);

/// How to run the tool for one test: its environment and its own token cache directory,
/// removed when the value is dropped.
#[derive(Debug)]
pub struct Cli {
    cache: PathBuf,
    env: Vec<(String, String)>,
}

impl Cli {
    /// No keys, no URLs: only the cache directory.
    pub fn bare(label: &str) -> Self {
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let cache = std::env::temp_dir().join(format!(
            "toss-cli-test-{label}-{}-{unique}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&cache);
        Self {
            cache,
            env: Vec::new(),
        }
    }

    /// Pointed at `server` with its demo seller's keys.
    pub fn local(server: &LocalServer, label: &str) -> Self {
        let credentials = server.credentials();
        Self::bare(label)
            .with("TOSS_API_BASE_URL", &server.base_url())
            .with("TOSS_TOKEN_URL", &server.token_url())
            .with("TOSS_ACCESS_KEY", credentials.access_key())
            .with("TOSS_SECRET_KEY", toss_shopping::local::DEMO_SECRET_KEY)
    }

    /// Sets (or replaces) one environment variable of the child.
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.env.retain(|(key, _)| key != name);
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// The token cache directory of this test.
    pub fn cache_dir(&self) -> &Path {
        &self.cache
    }

    /// The child process, not yet started: the parent's environment without any `TOSS_*` or
    /// proxy variable, then this test's.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(BIN);
        command.args(args).kill_on_drop(true).stdin(Stdio::null());
        for (name, _) in std::env::vars_os() {
            let text = name.to_string_lossy().to_ascii_uppercase();
            if text.starts_with("TOSS_") || PROXY_VARIABLES.contains(&text.as_str()) {
                command.env_remove(&name);
            }
        }
        command.env("TOSS_CACHE_DIR", &self.cache);
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs the tool to the end and keeps what it printed. The in-process server keeps
    /// serving meanwhile: the child is awaited, never blocked on.
    pub async fn run(&self, args: &[&str]) -> Run {
        let output = self
            .command(args)
            .output()
            .await
            .expect("the binary starts");
        Run {
            args: args.join(" "),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs with owned arguments.
    pub async fn run_owned(&self, args: &[String]) -> Run {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&args).await
    }
}

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.cache);
    }
}

/// One finished run of the tool.
#[derive(Debug, Clone)]
pub struct Run {
    pub args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`toss-shopping {}` exited {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args,
            self.code,
            truncate(&self.stdout),
            truncate(&self.stderr)
        )
    }
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(3000) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

impl Run {
    /// Asserts exit 0 and one JSON document on stdout, and gives it.
    pub fn json(&self) -> Value {
        assert_eq!(self.code, Some(0), "{self}");
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not one JSON value ({error}): {self}"))
    }

    /// Asserts exit 0 and gives stdout's JSON lines.
    pub fn lines(&self) -> Vec<Value> {
        assert_eq!(self.code, Some(0), "{self}");
        self.stdout
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|error| panic!("not a JSON line ({error}): {line}\n{self}"))
            })
            .collect()
    }

    /// Asserts the exit code and the failure object on stderr (its last line), with at least
    /// `errorCode`, `reason` and `status`, and gives it.
    pub fn failure(&self, code: i32) -> Value {
        assert_eq!(self.code, Some(code), "{self}");
        let last = self
            .stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or_else(|| panic!("nothing on stderr: {self}"));
        let object: Value = serde_json::from_str(last)
            .unwrap_or_else(|error| panic!("stderr is not JSON ({error}): {self}"));
        for key in ["errorCode", "reason", "status"] {
            assert!(object.get(key).is_some(), "no {key}: {self}");
        }
        object
    }
}

/// A loopback port nothing listens on: bound, then let go.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

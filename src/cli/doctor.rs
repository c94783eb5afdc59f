//! `doctor`: checks the keys, the route to Toss and the clock, and tells apart the usual
//! first-day failures, each with its fix: wrong keys, a caller IP not on the keys'
//! allow-list, an unreachable host or a proxy in the way, and a clock far off.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use super::config::Settings;
use super::exit::Exit;
use super::run::CliError;
use crate::auth::{AuthError, TokenProvider};
use crate::{Client, Error};

/// How far the local clock may be from the server's before tokens and dates go wrong.
const CLOCK_TOLERANCE: Duration = Duration::from_secs(300);
/// How long one probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// One problem `doctor` can name, with its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Diagnosis {
    WrongKeys(String),
    IpNotAllowed(String),
    Unreachable(String),
    Proxy(String),
    ClockOff(i64),
    Other(String),
}

impl Diagnosis {
    /// A stable name scripts can match.
    fn name(&self) -> &'static str {
        match self {
            Self::WrongKeys(_) => "wrong-keys",
            Self::IpNotAllowed(_) => "ip-not-allowed",
            Self::Unreachable(_) => "unreachable",
            Self::Proxy(_) => "proxy",
            Self::ClockOff(_) => "clock-off",
            Self::Other(_) => "other",
        }
    }

    fn explain(&self) -> String {
        match self {
            Self::WrongKeys(detail) => format!(
                "{detail}. Fix: copy the Access Key and Secret Key again from the partner centre \
                 (TOSS_ACCESS_KEY / TOSS_SECRET_KEY), and check TOSS_ENV: alpha and production \
                 keys differ."
            ),
            Self::IpNotAllowed(detail) => format!(
                "{detail}. Fix: register this machine's public IP with the keys in the partner \
                 centre; serverless hosts need a fixed-egress relay."
            ),
            Self::Unreachable(detail) => format!(
                "{detail}. Fix: check the URL (TOSS_API_BASE_URL / TOSS_TOKEN_URL), DNS and the \
                 firewall; outbound HTTPS to Toss must be open."
            ),
            Self::Proxy(detail) => format!(
                "{detail}. Fix: the proxy in HTTPS_PROXY / HTTP_PROXY / ALL_PROXY did not carry \
                 the request: check it, or add the Toss hosts to NO_PROXY."
            ),
            Self::ClockOff(seconds) => format!(
                "this machine's clock is {seconds} s off the server's. Fix: enable NTP \
                 (e.g. `timedatectl set-ntp true`); a clock far off breaks token expiry and \
                 the Korean dates of every date window."
            ),
            Self::Other(detail) => detail.clone(),
        }
    }

    fn exit(&self) -> Exit {
        match self {
            Self::WrongKeys(_) | Self::IpNotAllowed(_) => Exit::Auth,
            Self::Unreachable(_) | Self::Proxy(_) | Self::ClockOff(_) => Exit::Network,
            Self::Other(_) => Exit::Api,
        }
    }
}

/// Runs `doctor`: every check in turn, stopping at the first that fails.
pub(crate) async fn run(settings: &Settings) -> Result<ExitCode, CliError> {
    let credentials = settings.credentials()?.clone();
    super::output::say(format!(
        "✓ keys are set (access key {})",
        credentials.access_key()
    ));
    let checks = async {
        check_route(&settings.token_url(), "token endpoint").await?;
        check_route(&settings.base_url(), "API host").await?;
        let provider = check_token(settings, &credentials).await?;
        check_call(settings, provider, credentials).await
    };
    match checks.await {
        Ok(()) => {
            super::output::say("All checks passed.");
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnosis) => {
            super::output::say(format!(
                "✗ problem: {}: {}",
                diagnosis.name(),
                diagnosis.explain()
            ));
            Ok(diagnosis.exit().code())
        }
    }
}

/// Reaches `url` over HTTP (any status will do) and compares the server's clock with ours.
async fn check_route(url: &str, what: &str) -> Result<(), Diagnosis> {
    let http = reqwest::Client::builder()
        .timeout(PROBE_TIMEOUT)
        .build()
        .map_err(|e| Diagnosis::Other(format!("no HTTP client: {e}")))?;
    let answer = http
        .get(url)
        .send()
        .await
        .map_err(|error| unreachable(what, url, &error))?;
    super::output::say(format!(
        "✓ {what} reached: {url} (HTTP {})",
        answer.status().as_u16()
    ));
    if let Some(offset) = clock_offset(answer.headers()) {
        if offset.unsigned_abs() > CLOCK_TOLERANCE.as_secs() {
            return Err(Diagnosis::ClockOff(offset));
        }
        super::output::say(format!("✓ clock within {offset} s of the {what}'s"));
    }
    Ok(())
}

/// Why a probe got no answer: a proxy in the environment, or the host itself.
fn unreachable(what: &str, url: &str, error: &reqwest::Error) -> Diagnosis {
    let proxy = proxy_for(url);
    let cause =
        std::error::Error::source(error).map_or_else(|| error.to_string(), |s| s.to_string());
    match proxy {
        Some((name, _)) => Diagnosis::Proxy(format!(
            "the {what} {url} was not reached through the proxy in {name} ({cause})"
        )),
        None => Diagnosis::Unreachable(format!("the {what} {url} was not reached ({cause})")),
    }
}

/// The proxy variable that applies to `url`, as reqwest reads them: the scheme's own
/// (`HTTPS_PROXY` or `HTTP_PROXY`), else `ALL_PROXY`; none when `NO_PROXY` names the host.
fn proxy_for(url: &str) -> Option<(&'static str, String)> {
    proxy_in(url, |name| std::env::var(name).ok())
}

/// [`proxy_for`] with the environment given as a lookup, so it can be tested.
fn proxy_in(url: &str, var: impl Fn(&str) -> Option<String>) -> Option<(&'static str, String)> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str().unwrap_or_default();
    let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let bypassed = set("NO_PROXY")
        .or_else(|| set("no_proxy"))
        .is_some_and(|list| {
            list.split(',').map(str::trim).any(|entry| {
                entry == "*" || (!entry.is_empty() && host.ends_with(entry.trim_start_matches('.')))
            })
        });
    if bypassed {
        return None;
    }
    let names: &[&'static str] = match parsed.scheme() {
        "https" => &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"],
        _ => &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"],
    };
    names
        .iter()
        .find_map(|name| set(name).map(|value| (*name, value)))
}

/// Seconds between the server's `Date` and our clock (positive: we are ahead).
fn clock_offset(headers: &reqwest::header::HeaderMap) -> Option<i64> {
    let date = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    let server = chrono::DateTime::parse_from_rfc2822(date).ok()?;
    let ours = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
    Some((ours - server.with_timezone(&chrono::Utc)).num_seconds())
}

/// Asks the token endpoint for a fresh token (never the cached one: the keys are what is
/// being checked).
async fn check_token(
    settings: &Settings,
    credentials: &crate::Credentials,
) -> Result<TokenProvider, Diagnosis> {
    let provider = TokenProvider::builder()
        .token_url(settings.token_url())
        .build()
        .map_err(|e| Diagnosis::Other(format!("no token provider: {e}")))?;
    match provider.source(credentials.clone()).token().await {
        Ok(_) => {
            super::output::say("✓ the token endpoint accepted the keys");
            Ok(provider)
        }
        Err(error) => Err(token_diagnosis(&settings.token_url(), &error)),
    }
}

fn token_diagnosis(url: &str, error: &AuthError) -> Diagnosis {
    match error {
        AuthError::InvalidCredentials { .. } | AuthError::Rejected { .. } => Diagnosis::WrongKeys(
            format!("the token endpoint {url} rejected the keys ({error})"),
        ),
        AuthError::Forbidden { .. } => Diagnosis::IpNotAllowed(format!(
            "the token endpoint {url} refused this machine ({error})"
        )),
        AuthError::Transport(_) | AuthError::Timeout(_) => {
            Diagnosis::Unreachable(format!("the token endpoint {url} did not answer ({error})"))
        }
        other => Diagnosis::Other(format!("no token: {other}")),
    }
}

/// One harmless read (the penalty summary) with the fresh token.
async fn check_call(
    settings: &Settings,
    provider: TokenProvider,
    credentials: crate::Credentials,
) -> Result<(), Diagnosis> {
    let client = Client::builder()
        .base_url(settings.base_url())
        .token_provider(provider)
        .credentials_from(credentials)
        .build()
        .map_err(|e| Diagnosis::Other(format!("no client: {e}")))?;
    match client.get_penalty_summary().await {
        Ok(_) => {
            super::output::say("✓ the API answered a read (the penalty summary)");
            Ok(())
        }
        Err(error) => Err(call_diagnosis(&error)),
    }
}

fn call_diagnosis(error: &Error) -> Diagnosis {
    let text = error.to_string();
    let ip = error.api_error().is_some_and(|api| {
        api.code.as_str().contains("IP") || format!("{:?}", api.reason).contains("허가되지 않은 IP")
    });
    match error {
        _ if ip => Diagnosis::IpNotAllowed(format!("the API refused this machine ({text})")),
        Error::Unauthorized { .. } => Diagnosis::WrongKeys(format!(
            "the API rejected a fresh token ({text}): keys of another environment?"
        )),
        Error::Transport(_) | Error::Timeout(_) | Error::Server { .. } => {
            Diagnosis::Unreachable(format!("the API did not answer ({text})"))
        }
        _ => Diagnosis::Other(format!("the API failed a plain read: {text}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_proxy_of_the_urls_scheme_counts_unless_no_proxy_names_the_host() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            }
        };
        let https_only = env(&[("HTTPS_PROXY", "http://proxy:3128")]);
        assert_eq!(proxy_in("http://127.0.0.1:9/", https_only), None);
        assert_eq!(
            proxy_in("https://shopping-fep.toss.im/", https_only).map(|p| p.0),
            Some("HTTPS_PROXY")
        );
        let all = env(&[("ALL_PROXY", "http://proxy:3128")]);
        assert_eq!(
            proxy_in("http://127.0.0.1:9/", all).map(|p| p.0),
            Some("ALL_PROXY")
        );
        let bypassed = env(&[("ALL_PROXY", "http://proxy:3128"), ("NO_PROXY", ".toss.im")]);
        assert_eq!(
            proxy_in("https://oauth2.cert.toss.im/token", bypassed),
            None
        );
    }

    #[test]
    fn a_date_an_hour_behind_is_an_offset_of_an_hour() {
        let mut headers = reqwest::header::HeaderMap::new();
        let behind = chrono::Utc::now() - chrono::Duration::hours(1);
        let date = behind.to_rfc2822();
        headers.insert(reqwest::header::DATE, date.parse().unwrap());
        let offset = clock_offset(&headers).unwrap();
        assert!((3590..=3610).contains(&offset), "{offset}");
    }
}

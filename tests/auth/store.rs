//! The file token store on its own, and shared by two providers as two process starts would.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use toss_shopping::auth::{
    Clock, FileTokenStore, ManualClock, MemoryTokenStore, StoreKey, StoredToken, TokenStore,
};
use toss_shopping::{BearerToken, Client, TokenProvider};

use crate::support::*;

const STORE_URL: &str = "https://oauth2.cert.toss.im/token";

fn key() -> StoreKey {
    StoreKey::new(STORE_URL, ACCESS_KEY, SCOPE)
}

/// Now in whole seconds: the file store keeps Unix seconds.
fn whole_seconds(time: SystemTime) -> SystemTime {
    UNIX_EPOCH
        + Duration::from_secs(
            time.duration_since(UNIX_EPOCH)
                .expect("after 1970")
                .as_secs(),
        )
}

fn stored(token: &str, issued_at: SystemTime, lifetime: Duration) -> StoredToken {
    StoredToken {
        token: BearerToken::new(token),
        issued_at,
        expires_at: issued_at + lifetime,
    }
}

/// Every file in `dir` as (name, contents).
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("read the store dir")
        .map(|entry| {
            let entry = entry.expect("a dir entry");
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(entry.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn a_saved_token_loads_back_from_a_private_file() {
    let scratch = ScratchDir::new("round-trip");
    let dir = scratch.path().join("tokens");
    let store = FileTokenStore::new(&dir);
    let token = stored(
        "tok-file-1",
        whole_seconds(SystemTime::now()),
        Duration::from_secs(3599),
    );
    assert_eq!(store.load(&key()).await.expect("load"), None, "empty store");

    store.save(&key(), &token).await.expect("save");
    assert_eq!(store.load(&key()).await.expect("load"), Some(token.clone()));

    let path = store.path_for(&key());
    assert_eq!(path, dir.join(format!("{}.json", key().as_str())));
    assert_eq!(files(&dir).len(), 1, "no temporary files left behind");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "token file readable by the owner only");
        assert_eq!(mode(&dir), 0o700, "store dir private to the owner");
    }

    // Saving again replaces the entry.
    let newer = stored("tok-file-2", token.issued_at, Duration::from_secs(7200));
    store.save(&key(), &newer).await.expect("save");
    assert_eq!(store.load(&key()).await.expect("load"), Some(newer));
    assert_eq!(files(&dir).len(), 1);

    store.remove(&key()).await.expect("remove");
    assert_eq!(store.load(&key()).await.expect("load"), None);
    store.remove(&key()).await.expect("removing twice is fine");
}

/// The store contract: a token in (or near) its last 30 seconds is not handed out.
async fn check_expiry(store: &dyn TokenStore, clock: &ManualClock) {
    let now = whole_seconds(clock.wall());
    let secs = Duration::from_secs;

    let cases = [
        ("expired", now - secs(3600), secs(3590), false),
        ("expires in 29 s", now, secs(29), false),
        ("expires in 30 s", now, secs(30), false),
        ("expires in 31 s", now, secs(31), true),
    ];
    for (what, issued_at, lifetime, usable) in cases {
        let token = stored("tok-exp", issued_at, lifetime);
        store.save(&key(), &token).await.expect("save");
        let loaded = store.load(&key()).await.expect("load");
        assert_eq!(loaded.is_some(), usable, "{what}");
    }

    // One entry as time passes: usable until its last 30 seconds.
    let token = stored("tok-exp", now, secs(3600));
    store.save(&key(), &token).await.expect("save");
    clock.advance(secs(3569));
    assert_eq!(store.load(&key()).await.expect("load"), Some(token));
    clock.advance(secs(2));
    assert_eq!(store.load(&key()).await.expect("load"), None);
}

#[tokio::test]
async fn expired_or_nearly_expired_entries_are_not_loaded() {
    let scratch = ScratchDir::new("expiry");
    let clock = Arc::new(ManualClock::new());
    check_expiry(
        &FileTokenStore::with_clock(scratch.path(), clock.clone()),
        &clock,
    )
    .await;

    let clock = Arc::new(ManualClock::new());
    check_expiry(&MemoryTokenStore::with_clock(clock.clone()), &clock).await;
}

#[tokio::test]
async fn garbage_and_torn_temporary_files_do_not_break_loading() {
    let scratch = ScratchDir::new("garbage");
    let store = FileTokenStore::new(scratch.path());
    let good = stored(
        "tok-good",
        whole_seconds(SystemTime::now()),
        Duration::from_secs(3599),
    );
    store.save(&key(), &good).await.expect("save");

    // A crash mid-write: a partial temporary file that was never renamed into place.
    let torn = scratch.path().join(format!(
        ".{}.{}.12345.tmp",
        key().as_str(),
        std::process::id()
    ));
    std::fs::write(&torn, br#"{"access_token":"tok-torn","issued_at":17"#).expect("write");
    // Junk next to it: another key's garbage file and stray files.
    let other = StoreKey::new(STORE_URL, "another-access-key", SCOPE);
    std::fs::write(store.path_for(&other), b"\x00\xffnot json").expect("write");
    std::fs::write(scratch.path().join("README"), b"hello").expect("write");

    assert_eq!(store.load(&key()).await.expect("load"), Some(good.clone()));
    assert_eq!(
        store.load(&other).await.expect("garbage is not an error"),
        None
    );

    // Saving over a garbage file works, and the torn file does not block later saves.
    let replacement = stored("tok-other", good.issued_at, Duration::from_secs(3599));
    store.save(&other, &replacement).await.expect("save");
    assert_eq!(store.load(&other).await.expect("load"), Some(replacement));
    store.save(&key(), &good).await.expect("save");
    assert_eq!(store.load(&key()).await.expect("load"), Some(good));

    // A garbage file under the key itself reads as empty, not as an error.
    std::fs::write(store.path_for(&key()), b"{\"access_token\":").expect("write");
    assert_eq!(store.load(&key()).await.expect("load"), None);
}

#[test]
fn store_keys_are_sha256_hex_and_never_hold_the_secret() {
    let key = StoreKey::new(STORE_URL, ACCESS_KEY, SCOPE);
    assert_eq!(key.as_str().len(), 64);
    assert!(
        key.as_str()
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{}",
        key.as_str()
    );
    assert_eq!(key, StoreKey::new(STORE_URL, ACCESS_KEY, SCOPE), "stable");
    assert_ne!(key, StoreKey::new(STORE_URL, "other-access-key", SCOPE));
    assert_ne!(
        key,
        StoreKey::new("http://127.0.0.1/token", ACCESS_KEY, SCOPE)
    );
    assert_ne!(
        key,
        StoreKey::new(STORE_URL, ACCESS_KEY, "toss-shopping-fep:read")
    );
    // Fields cannot run into each other.
    assert_ne!(
        StoreKey::new(STORE_URL, "ab", "c"),
        StoreKey::new(STORE_URL, "a", "bc")
    );
    assert!(
        !format!("{key:?}").contains(key.as_str()),
        "Debug shortens the key"
    );
}

fn provider_on(server: &wiremock::MockServer, dir: &Path) -> TokenProvider {
    TokenProvider::builder()
        .token_url(token_url(server))
        .store(FileTokenStore::new(dir))
        .build()
        .expect("provider builds")
}

fn client_on(server: &wiremock::MockServer, provider: TokenProvider) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_provider(provider)
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_second_process_start_reuses_the_stored_token() {
    let server = start().await;
    let scratch = ScratchDir::new("two-processes");
    expect_token(&server, token_answer("tok-1", Some(3599)), 1).await;
    expect_api(&server, "tok-1", penalty_ok(), 2).await;

    // First start: asks the endpoint and stores the token.
    let first = client_on(&server, provider_on(&server, scratch.path()));
    assert_penalty(first.get_penalty_summary().await);
    drop(first);

    // Second start: a new provider and client on the same directory.
    let second = client_on(&server, provider_on(&server, scratch.path()));
    assert_penalty(second.get_penalty_summary().await);
    assert_eq!(
        token_requests(&server).await,
        1,
        "the stored token was not reused"
    );

    // One file, named by the key hash; neither its name nor its contents hold the secret.
    let key = StoreKey::new(&token_url(&server), ACCESS_KEY, SCOPE);
    let files = files(scratch.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let (name, contents) = &files[0];
    assert_eq!(name, &format!("{}.json", key.as_str()));
    for text in [name, contents] {
        assert!(
            !text.contains(SECRET_KEY),
            "the secret key reached the store"
        );
    }
    assert!(contents.contains("tok-1"));
}

#[tokio::test]
async fn a_garbage_token_file_is_replaced_by_a_new_token() {
    let server = start().await;
    let scratch = ScratchDir::new("garbage-file");
    expect_token(&server, token_answer("tok-1", Some(3599)), 1).await;
    expect_api(&server, "tok-1", penalty_ok(), 1).await;
    let key = StoreKey::new(&token_url(&server), ACCESS_KEY, SCOPE);
    let store = FileTokenStore::new(scratch.path());
    std::fs::write(store.path_for(&key), b"{\"access_token\": \"tok-torn").expect("write");

    let client = client_on(&server, provider_on(&server, scratch.path()));
    assert_penalty(client.get_penalty_summary().await);
    let loaded = store
        .load(&key)
        .await
        .expect("load")
        .expect("a stored token");
    assert_eq!(loaded.token.secret(), "tok-1");
}

#[tokio::test]
async fn a_stored_token_in_its_refresh_window_is_not_adopted() {
    let server = start().await;
    let scratch = ScratchDir::new("due");
    expect_token(&server, token_answer("tok-new", Some(3599)), 1).await;
    expect_api(&server, "tok-new", penalty_ok(), 1).await;
    let clock = Arc::new(ManualClock::new());
    let key = StoreKey::new(&token_url(&server), ACCESS_KEY, SCOPE);
    // Stored by an earlier process; 100 s left is well inside the refresh window.
    let old = stored(
        "tok-old",
        whole_seconds(clock.wall()) - Duration::from_secs(3499),
        Duration::from_secs(3600),
    );
    FileTokenStore::new(scratch.path())
        .save(&key, &old)
        .await
        .expect("save");

    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .clock(clock.clone())
        .store(FileTokenStore::with_clock(scratch.path(), clock))
        .build()
        .expect("provider builds");
    assert_penalty(client_on(&server, provider).get_penalty_summary().await);
}

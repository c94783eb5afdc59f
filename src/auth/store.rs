//! Keeping tokens beyond one process: the [`TokenStore`] trait, an in-memory store and a
//! file store.
//!
//! # The contract a store must meet
//!
//! The token cache calls [`TokenStore::load`] before it asks the token endpoint for a new
//! token (another process may already hold a fresh one), [`TokenStore::save`] after every
//! issue, and [`TokenStore::remove`] when a seller is forgotten. A store for several processes
//! (Redis, a database) must:
//! - keep entries under the given [`StoreKey`] (a hash of token URL, access key and scope;
//!   it never contains the secret key) and return them unchanged;
//! - return `None` for a token that expires within [`EXPIRY_MARGIN`] (or already has), and
//!   never return a half-written entry;
//! - treat the token as a secret: encrypt or restrict access at rest, never log it;
//! - expire entries at `expires_at` (e.g. a Redis TTL), so forgotten sellers do not linger.
//!
//! Within one [`TokenProvider`](crate::auth::TokenProvider) the cache itself makes sure only
//! one caller asks the endpoint. Across processes, a shared store can take part through three
//! optional methods, whose defaults keep a store purely local:
//! - [`TokenStore::begin_issue`] decides whose turn it is to ask the endpoint when the store
//!   holds nothing usable: this process ([`IssueTurn::Issue`], e.g. it took a short lock), or
//!   another one ([`IssueTurn::Wait`]: the cache waits a little, loads again, and asks for the
//!   turn again, until a usable token shows up or the other process's lock expires);
//! - [`TokenStore::end_issue`] gives the turn back once the new token is saved (or the request
//!   failed);
//! - [`TokenStore::discard`] drops a token the API rejected, only if the store still holds that
//!   very token (a newer one saved meanwhile stays).
//!
//! A store error never fails a call, with one exception: an error from
//! [`TokenStore::begin_issue`] fails the token load (a shared store in a strict mode that must
//! not issue on its own). Every other error is logged and the cache carries on from memory.

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::clock::{Clock, SystemClock};
use super::{BearerToken, BoxFuture};

/// A loaded token must stay valid at least this long, or it is not used.
pub const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// Names one cached token: the hex SHA-256 of token URL, access key and scope.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreKey(String);

impl StoreKey {
    /// The key for a token issued at `token_url` to `access_key` with `scope`.
    pub fn new(token_url: &str, access_key: &str, scope: &str) -> Self {
        let digest = Sha256::new()
            .chain_update(token_url)
            .chain_update("\n")
            .chain_update(access_key)
            .chain_update("\n")
            .chain_update(scope)
            .finalize();
        Self(digest.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// The key whose [`as_str`](Self::as_str) is `hash`, if it is one (64 lowercase hex
    /// characters), e.g. as read back from a message between processes (a store that pushes
    /// [`Rejection`]s).
    pub fn from_hash(hash: &str) -> Option<Self> {
        let valid = hash.len() == 64
            && hash
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        valid.then(|| Self(hash.to_string()))
    }

    /// The key as 64 lowercase hex characters, safe as a file name or a Redis key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreKey({}…)", &self.0[..12.min(self.0.len())])
    }
}

/// A token the API rejected in some process, as a shared store reports it to every provider
/// ([`TokenStore::rejections`]): the key it was kept under and its fingerprint, never the
/// token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The key the rejected token was kept under.
    pub key: StoreKey,
    /// The rejected token's [`fingerprint`].
    pub fingerprint: String,
}

impl Rejection {
    /// The rejection of `token`, kept under `key`.
    pub fn of(key: StoreKey, token: &BearerToken) -> Self {
        Self {
            key,
            fingerprint: fingerprint(token),
        }
    }
}

/// Names a token without revealing it: the hex of the first 16 bytes of its SHA-256. Safe in
/// logs and messages between processes; it cannot be turned back into the token.
pub fn fingerprint(token: &BearerToken) -> String {
    let digest = Sha256::digest(token.secret().as_bytes());
    digest[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A token as a store keeps it, with wall-clock times.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// The access token.
    pub token: BearerToken,
    /// When it was issued.
    pub issued_at: SystemTime,
    /// When it expires.
    pub expires_at: SystemTime,
}

impl StoredToken {
    /// Whether the token is still usable at `now` (valid for more than [`EXPIRY_MARGIN`]).
    pub fn is_usable_at(&self, now: SystemTime) -> bool {
        self.expires_at
            .duration_since(now)
            .is_ok_and(|left| left > EXPIRY_MARGIN)
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("token", &self.token)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a store could not load, save or remove a token. Never holds the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading or writing failed.
    #[error("token store I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// A custom store failed.
    #[error("token store failed: {0}")]
    Other(String),
}

/// Keeps tokens so they outlive one cache (another client, another process, a restart).
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token kept under `key`, if there is one that is still usable.
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, StoreError>>;
    /// Keeps `token` under `key`, replacing what was there.
    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Forgets the token under `key`.
    fn remove<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Whose turn it is to ask the endpoint for the token under `key`, called when
    /// [`load`](TokenStore::load) found nothing usable. The default always answers "this
    /// process" without any lock, which is right for a store only one process uses.
    ///
    /// An error fails the token load (see the [module documentation](self)); a store that
    /// prefers to carry on when it cannot lock answers [`IssueTurn::Issue`] with
    /// [`IssueLease::local`] instead.
    fn begin_issue<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<IssueTurn, StoreError>> {
        let _ = key;
        Box::pin(async { Ok(IssueTurn::Issue(IssueLease::local())) })
    }

    /// Gives back the turn [`begin_issue`](TokenStore::begin_issue) granted, after the new
    /// token was saved or the request failed. The default does nothing.
    fn end_issue<'a>(
        &'a self,
        key: &'a StoreKey,
        lease: IssueLease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let _ = (key, lease);
        Box::pin(async { Ok(()) })
    }

    /// Drops the token under `key` if it is still `rejected` (the API refused it), so no other
    /// client or process takes it from the store again; a different token saved meanwhile
    /// stays. The default loads, compares and removes, which is not atomic: a shared store
    /// should do it in one step.
    fn discard<'a>(
        &'a self,
        key: &'a StoreKey,
        rejected: &'a BearerToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            match self.load(key).await? {
                Some(stored) if stored.token == *rejected => self.remove(key).await,
                _ => Ok(()),
            }
        })
    }

    /// Rejections other processes reported through [`discard`](TokenStore::discard), for a
    /// store shared by several processes that can push them (e.g. by Redis pub/sub). The
    /// provider calls it once, from inside a tokio runtime, and drops the token a rejection
    /// names if it still holds exactly that token, so it does not wait for its own 401. The
    /// default, `None`, means the store does not take part: each process then drops a rejected
    /// token at its own 401. Delivery is best effort; a missed rejection costs that 401.
    fn rejections(&self) -> Option<tokio::sync::broadcast::Receiver<Rejection>> {
        None
    }
}

/// The answer of [`TokenStore::begin_issue`].
#[derive(Debug)]
#[non_exhaustive]
pub enum IssueTurn {
    /// This process asks the endpoint, saves the token, then hands the lease back to
    /// [`TokenStore::end_issue`].
    Issue(IssueLease),
    /// Another process is asking: wait a little, load again, and ask for the turn again.
    Wait,
}

/// A turn to ask the token endpoint, as [`TokenStore::begin_issue`] granted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueLease {
    owner: Option<String>,
}

impl IssueLease {
    /// A turn that holds no lock: nothing to give back, nobody else is kept waiting.
    pub fn local() -> Self {
        Self { owner: None }
    }

    /// A turn held under a lock that only `owner` (an id unique to this attempt, not a secret)
    /// may release.
    pub fn held(owner: impl Into<String>) -> Self {
        Self {
            owner: Some(owner.into()),
        }
    }

    /// The lock owner's id, when the turn holds a lock.
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }
}

/// The default store: tokens live as long as the process, and expired ones are dropped as new
/// ones are saved (at most once a minute), so sellers that went idle cost nothing.
#[derive(Debug)]
pub struct MemoryTokenStore {
    tokens: Mutex<MemoryTokens>,
    clock: Arc<dyn Clock>,
}

/// Expired tokens are looked for at most this often, so a save stays O(1) on average.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct MemoryTokens {
    by_key: HashMap<StoreKey, StoredToken>,
    /// When expired tokens were last dropped (wall clock: token expiry is wall-clock time).
    last_prune: SystemTime,
}

impl MemoryTokens {
    fn prune(&mut self, now: SystemTime) {
        let due = now
            .duration_since(self.last_prune)
            .is_ok_and(|since| since >= PRUNE_EVERY);
        if due {
            self.last_prune = now;
            self.by_key.retain(|_, token| token.expires_at > now);
        }
    }
}

impl MemoryTokenStore {
    /// An empty store on the system clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// An empty store that judges expiry by `clock`.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        let tokens = MemoryTokens {
            by_key: HashMap::new(),
            last_prune: clock.wall(),
        };
        Self {
            tokens: Mutex::new(tokens),
            clock,
        }
    }

    /// How many tokens the store holds, expired ones not yet dropped included.
    pub fn len(&self) -> usize {
        self.tokens().by_key.len()
    }

    /// Whether the store holds no token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, MemoryTokens> {
        // A panic elsewhere cannot leave the map half-updated: every update is one insert/remove.
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for MemoryTokenStore {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, StoreError>> {
        let now = self.clock.wall();
        let found = self
            .tokens()
            .by_key
            .get(key)
            .filter(|t| t.is_usable_at(now))
            .cloned();
        Box::pin(async move { Ok(found) })
    }

    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut tokens = self.tokens();
        tokens.prune(self.clock.wall());
        tokens.by_key.insert(key.clone(), token.clone());
        drop(tokens);
        Box::pin(async { Ok(()) })
    }

    fn remove<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens().by_key.remove(key);
        Box::pin(async { Ok(()) })
    }
}

/// Keeps each token in its own file in a directory, so a process that restarts (a cron job)
/// reuses a still-valid token instead of issuing a new one.
///
/// Files are `<key>.json`, readable by the owner only (mode 0600 in a 0700 directory on
/// Unix), written to a temporary file and renamed into place so a crash never leaves a torn
/// entry. Unreadable or expired entries are ignored.
#[derive(Debug)]
pub struct FileTokenStore {
    dir: PathBuf,
    clock: Arc<dyn Clock>,
}

/// How a token is written down, in a file or in Redis: unix seconds, the token in clear (the
/// store protects it at rest).
#[derive(Serialize, Deserialize)]
struct Entry {
    access_token: String,
    issued_at: u64,
    expires_at: u64,
}

/// `token` as the JSON the file and Redis stores keep.
pub(crate) fn encode(token: &StoredToken) -> Result<Vec<u8>, StoreError> {
    let entry = Entry {
        access_token: token.token.secret().to_string(),
        issued_at: unix_seconds(token.issued_at),
        expires_at: unix_seconds(token.expires_at),
    };
    serde_json::to_vec(&entry).map_err(|e| StoreError::Other(e.to_string()))
}

/// The token in `bytes`, or `None` if they are not an entry [`encode`] wrote.
pub(crate) fn decode(bytes: &[u8]) -> Option<StoredToken> {
    let entry = serde_json::from_slice::<Entry>(bytes).ok()?;
    Some(StoredToken {
        token: BearerToken::new(entry.access_token),
        issued_at: UNIX_EPOCH + Duration::from_secs(entry.issued_at),
        expires_at: UNIX_EPOCH + Duration::from_secs(entry.expires_at),
    })
}

impl FileTokenStore {
    /// A store in `dir` (created on first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self::with_clock(dir, Arc::new(SystemClock))
    }

    /// A store in `dir` that judges expiry by `clock`.
    pub fn with_clock(dir: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Self {
        Self {
            dir: dir.into(),
            clock,
        }
    }

    /// The file that holds the token under `key`.
    pub fn path_for(&self, key: &StoreKey) -> PathBuf {
        self.dir.join(format!("{}.json", key.as_str()))
    }

    fn read(&self, key: &StoreKey) -> Result<Option<StoredToken>, StoreError> {
        let bytes = match std::fs::read(self.path_for(key)) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let Some(token) = decode(&bytes) else {
            tracing::warn!(key = ?key, "toss-shopping: ignoring an unreadable token file");
            return Ok(None);
        };
        Ok(token.is_usable_at(self.clock.wall()).then_some(token))
    }

    fn write(&self, key: &StoreKey, token: &StoredToken) -> Result<(), StoreError> {
        create_private_dir(&self.dir)?;
        let json = encode(token)?;
        let temporary = self.dir.join(format!(
            ".{}.{}.{}.tmp",
            key.as_str(),
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        ));
        let written = write_private_file(&temporary, &json)
            .and_then(|()| std::fs::rename(&temporary, self.path_for(key)));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        Ok(written?)
    }

    fn delete(&self, key: &StoreKey) -> Result<(), StoreError> {
        match std::fs::remove_file(self.path_for(key)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }
}

// The file operations are a few small, local reads and writes made only on a cache miss, so
// they run inline rather than on a blocking thread pool.
impl TokenStore for FileTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, StoreError>> {
        Box::pin(async move { self.read(key) })
    }

    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { self.write(key, token) })
    }

    fn remove<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { self.delete(key) })
    }
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

#[cfg(unix)]
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

pub(crate) fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

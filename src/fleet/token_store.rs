//! [`RedisTokenStore`]: one token per seller for the whole fleet, issued by one process at a
//! time.
//!
//! The protocol is documented on [`RedisTokenStore`], where users of the crate see it.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::Script;

use super::{RedisFault, RedisLink};
use crate::auth::store::{decode, encode};
use crate::auth::{
    BearerToken, BoxFuture, Clock, IssueLease, IssueTurn, StoreError, StoreKey, StoredToken,
    SystemClock, TokenStore,
};

/// How long the issue lock lasts by default: far longer than a token request usually takes,
/// short enough that the fleet does not wait long for a holder that died.
const DEFAULT_LOCK_EXPIRY: Duration = Duration::from_secs(10);

/// Deletes the lock only if this attempt still owns it.
static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end \
         return 0",
    )
});

/// Deletes the token only if it is still the rejected one (a newer token stays).
static DISCARD: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        "local entry = redis.call('GET', KEYS[1]) \
         if not entry then return 0 end \
         local ok, decoded = pcall(cjson.decode, entry) \
         if ok and type(decoded) == 'table' and decoded.access_token == ARGV[1] then \
           return redis.call('DEL', KEYS[1]) end \
         return 0",
    )
});

/// A [`TokenStore`] in Redis, shared by every process of a fleet (setup: `docs/fleet.md`).
///
/// The protocol, per seller (keys from [`KeyLayout`](super::KeyLayout)):
/// - the token is a JSON entry under `token`, with a TTL of its remaining lifetime (`PX`), so
///   it disappears when it expires and a forgotten seller does not linger;
/// - a process that finds no usable token takes `token-lock` with `SET NX PX`, its value an id
///   unique to that attempt. It asks the endpoint, saves the token, then deletes the lock with
///   a script that checks the id first, so a holder whose lock already ran out can never
///   release its successor's;
/// - the others wait and look again (the token cache's loop, see
///   [`TokenStore::begin_issue`]); once the lock is gone, by release or expiry (a holder that
///   died), one of them takes it;
/// - a token the API rejected is deleted by a script only if the key still holds that very
///   token.
///
/// On a [`RedisFault`] the store behaves as an empty store that cannot lock, so this process
/// asks the endpoint on its own and keeps its token in memory; in strict mode it returns the
/// fault as a [`StoreError`] instead.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use toss_shopping::TokenProvider;
/// use toss_shopping::fleet::{RedisLink, RedisOptions, RedisTokenStore};
///
/// let link = RedisLink::new(RedisOptions::new("redis://127.0.0.1:6379/0"))?;
/// let provider = TokenProvider::builder()
///     .store(RedisTokenStore::new(link))
///     .build()?;
/// # let _ = provider; Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisTokenStore {
    link: RedisLink,
    clock: Arc<dyn Clock>,
    lock_expiry: Duration,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("link", &self.link)
            .field("lock_expiry", &self.lock_expiry)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    /// A store on `link`, on the system clock, with a 10 s issue lock.
    pub fn new(link: RedisLink) -> Self {
        Self {
            link,
            clock: Arc::new(SystemClock),
            lock_expiry: DEFAULT_LOCK_EXPIRY,
        }
    }

    /// Judges expiry and TTLs by `clock` (give it the provider's clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long the issue lock lasts (default 10 s): how long the fleet waits for a process
    /// that died while asking for a token. Keep it above a normal token request; a request
    /// slower than this lets a second process ask too.
    pub fn lock_expiry(mut self, expiry: Duration) -> Self {
        self.lock_expiry = expiry;
        self
    }

    /// In strict mode a fault is an error; otherwise `fallback`, what an empty store that
    /// cannot lock would answer (the link has already logged the outage).
    fn settle<T>(&self, result: Result<T, RedisFault>, fallback: T) -> Result<T, StoreError> {
        match result {
            Ok(value) => Ok(value),
            Err(fault) if self.link.is_strict() => Err(StoreError::Other(fault.to_string())),
            Err(_) => Ok(fallback),
        }
    }

    async fn get(&self, key: &StoreKey) -> Result<Option<StoredToken>, RedisFault> {
        let token_key = self.link.keys().token(key.as_str());
        let bytes: Option<Vec<u8>> = self
            .link
            .run("load the token", |mut connection| async move {
                redis::cmd("GET")
                    .arg(token_key)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        let now = self.clock.wall();
        Ok(bytes
            .as_deref()
            .and_then(decode)
            .filter(|token| token.is_usable_at(now)))
    }

    async fn set(&self, key: &StoreKey, token: &StoredToken) -> Result<(), StoreError> {
        let Some(ttl) = remaining_millis(token.expires_at, self.clock.wall()) else {
            return Ok(()); // already expired: nothing worth keeping, and no key without a TTL
        };
        let json = encode(token)?;
        let token_key = self.link.keys().token(key.as_str());
        let saved = self
            .link
            .run("save the token", |mut connection| async move {
                redis::cmd("SET")
                    .arg(token_key)
                    .arg(json)
                    .arg("PX")
                    .arg(ttl)
                    .query_async::<()>(&mut connection)
                    .await
            })
            .await;
        self.settle(saved, ())
    }

    async fn delete(&self, key: &StoreKey) -> Result<(), StoreError> {
        let token_key = self.link.keys().token(key.as_str());
        let deleted = self
            .link
            .run("remove the token", |mut connection| async move {
                redis::cmd("DEL")
                    .arg(token_key)
                    .query_async::<()>(&mut connection)
                    .await
            })
            .await;
        self.settle(deleted, ())
    }

    /// `SET lock owner NX PX expiry`: whether this attempt got the lock.
    async fn lock(&self, key: &StoreKey, owner: String) -> Result<bool, RedisFault> {
        let lock_key = self.link.keys().token_lock(key.as_str());
        let expiry = millis(self.lock_expiry);
        let reply: Option<String> = self
            .link
            .run("lock the token", |mut connection| async move {
                redis::cmd("SET")
                    .arg(lock_key)
                    .arg(owner)
                    .arg("NX")
                    .arg("PX")
                    .arg(expiry)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        Ok(reply.is_some())
    }

    async fn unlock(&self, key: &StoreKey, owner: String) -> Result<(), StoreError> {
        let lock_key = self.link.keys().token_lock(key.as_str());
        let released = self
            .link
            .run("release the token lock", |mut connection| async move {
                RELEASE
                    .key(lock_key)
                    .arg(owner)
                    .invoke_async::<i64>(&mut connection)
                    .await
                    .map(|_| ())
            })
            .await;
        self.settle(released, ())
    }

    async fn discard_if(&self, key: &StoreKey, rejected: &BearerToken) -> Result<(), StoreError> {
        let token_key = self.link.keys().token(key.as_str());
        let rejected = rejected.secret().to_string();
        let discarded = self
            .link
            .run("drop the rejected token", |mut connection| async move {
                DISCARD
                    .key(token_key)
                    .arg(rejected)
                    .invoke_async::<i64>(&mut connection)
                    .await
                    .map(|_| ())
            })
            .await;
        self.settle(discarded, ())
    }
}

impl TokenStore for RedisTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, StoreError>> {
        Box::pin(async move {
            let loaded = self.get(key).await;
            self.settle(loaded, None)
        })
    }

    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.set(key, token))
    }

    fn remove<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.delete(key))
    }

    fn begin_issue<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<IssueTurn, StoreError>> {
        Box::pin(async move {
            let owner = attempt_id();
            let locked = self.lock(key, owner.clone()).await;
            let turn = locked.map(|locked| match locked {
                true => IssueTurn::Issue(IssueLease::held(owner)),
                false => IssueTurn::Wait,
            });
            // Redis down: nobody can be waited for, so this process asks on its own.
            self.settle(turn, IssueTurn::Issue(IssueLease::local()))
        })
    }

    fn end_issue<'a>(
        &'a self,
        key: &'a StoreKey,
        lease: IssueLease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            match lease.owner() {
                Some(owner) => self.unlock(key, owner.to_string()).await,
                None => Ok(()),
            }
        })
    }

    fn discard<'a>(
        &'a self,
        key: &'a StoreKey,
        rejected: &'a BearerToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.discard_if(key, rejected))
    }
}

/// Milliseconds from `now` until `expires_at`, if any are left.
fn remaining_millis(expires_at: SystemTime, now: SystemTime) -> Option<u64> {
    let left = millis(expires_at.duration_since(now).ok()?);
    (left > 0).then_some(left)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// An id for one attempt at the lock, unique across the fleet: the process id, the time, a
/// counter, and a per-process random seed (std's hasher keys), so two attempts never share
/// one even across machines with equal pids. Not a secret.
fn attempt_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: LazyLock<RandomState> = LazyLock::new(RandomState::new);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let random = SEED.hash_one((std::process::id(), nanos, count));
    format!("{:x}-{count:x}-{random:016x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempt_ids_differ() {
        assert_ne!(attempt_id(), attempt_id());
    }

    #[test]
    fn an_expired_token_has_no_ttl_left() {
        let now = SystemTime::now();
        assert_eq!(remaining_millis(now, now), None);
        assert_eq!(remaining_millis(now - Duration::from_secs(1), now), None);
        assert_eq!(
            remaining_millis(now + Duration::from_secs(2), now),
            Some(2000)
        );
    }
}

//! [`RedisTokenStore`]: one token per seller for the whole fleet, issued by one process at a
//! time.
//!
//! The protocol is documented on [`RedisTokenStore`], where users of the crate see it.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, OnceLock, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt as _;
use redis::Script;
use tokio::sync::broadcast;

use super::{RedisFault, RedisLink};
use crate::auth::store::{decode, encode};
use crate::auth::{
    BearerToken, BoxFuture, Clock, IssueLease, IssueTurn, Rejection, StoreError, StoreKey,
    StoredToken, SystemClock, TokenStore,
};

/// How long the issue lock lasts by default: far longer than a token request usually takes,
/// short enough that the fleet does not wait long for a holder that died.
const DEFAULT_LOCK_EXPIRY: Duration = Duration::from_secs(10);

/// How many pushed rejections a provider may fall behind before it misses some.
const REJECTIONS_BUFFER: usize = 64;
/// The first pause before subscribing again after the subscription was lost; it doubles up to
/// [`RESUBSCRIBE_MAX`].
const RESUBSCRIBE_FIRST: Duration = Duration::from_millis(100);
/// The longest pause between two attempts to subscribe again.
const RESUBSCRIBE_MAX: Duration = Duration::from_secs(5);

/// The rejections this store's subscriber pushes to its providers, once one asked for them.
type Pushes = OnceLock<broadcast::Sender<Rejection>>;

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
///   token, and announced on the channel [`KeyLayout::token_rejected`](super::KeyLayout) as
///   `{"key": <store key>, "fingerprint": <hex>}` (see [`fingerprint`](crate::auth::fingerprint);
///   never the token). Every process's store subscribes to it on a connection of its own
///   ([`TokenStore::rejections`]) and its provider drops the token if it still holds exactly
///   that one, without waiting for its own 401. A lost subscription is renewed by itself (a
///   pause of 100 ms doubling up to 5 s); meanwhile each process drops the token at its own
///   401, as without the push.
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
    pushes: Arc<Pushes>,
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
            pushes: Arc::new(OnceLock::new()),
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
        let rejection = Rejection::of(key.clone(), rejected);
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
        self.settle(discarded, ())?;
        // Even when the key no longer held it: other processes may still hold it in memory.
        let channel = self.link.keys().token_rejected();
        let message = serde_json::json!({
            "key": rejection.key.as_str(),
            "fingerprint": rejection.fingerprint,
        })
        .to_string();
        let announced = self
            .link
            .run("announce the rejected token", |mut connection| async move {
                redis::cmd("PUBLISH")
                    .arg(channel)
                    .arg(message)
                    .query_async::<i64>(&mut connection)
                    .await
                    .map(|_| ())
            })
            .await;
        self.settle(announced, ())
    }
}

/// Listens on the rejection channel and hands what arrives to the providers, until the store
/// is gone (noticed at the next message or attempt). Subscribes again by itself after losing
/// the subscription, with one warning per loss and one note when back.
async fn subscribe(link: RedisLink, pushes: Weak<Pushes>) {
    let channel = link.keys().token_rejected();
    let mut pause = RESUBSCRIBE_FIRST;
    // Whether the current loss was reported.
    let mut lost = false;
    loop {
        let subscribed = tokio::time::timeout(link.timeout(), async {
            let mut pubsub = link.client().get_async_pubsub().await?;
            pubsub.subscribe(&channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        })
        .await;
        match subscribed {
            Ok(Ok(pubsub)) => {
                if lost {
                    tracing::info!(
                        "toss-shopping: subscribed to token rejections again; rejected tokens are dropped fleet-wide"
                    );
                }
                pause = RESUBSCRIBE_FIRST;
                let mut messages = pubsub.into_on_message();
                while let Some(message) = messages.next().await {
                    let Some(pushes) = pushes.upgrade() else {
                        return;
                    };
                    let rejection = message.get_payload::<String>().ok().and_then(|p| parse(&p));
                    if let (Some(rejection), Some(sender)) = (rejection, pushes.get()) {
                        // No receiver left: nothing to drop.
                        let _ = sender.send(rejection);
                    }
                }
                // Reported here, so a failure to subscribe again adds nothing to the log.
                tracing::warn!(
                    "toss-shopping: lost the subscription to token rejections; each process drops a rejected token at its own 401 until it is back"
                );
                lost = true;
            }
            failed => {
                if !lost {
                    let reason = match failed {
                        Ok(Err(error)) => error.to_string(),
                        _ => format!("no answer within {:?}", link.timeout()),
                    };
                    tracing::warn!(
                        %reason,
                        "toss-shopping: cannot subscribe to token rejections; each process drops a rejected token at its own 401 until it can"
                    );
                    lost = true;
                }
            }
        }
        if pushes.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(RESUBSCRIBE_MAX);
    }
}

/// The rejection in a message of the channel, if it is one.
fn parse(payload: &str) -> Option<Rejection> {
    let value: serde_json::Value = serde_json::from_str(payload).ok()?;
    let key = StoreKey::from_hash(value.get("key")?.as_str()?)?;
    let fingerprint = value.get("fingerprint")?.as_str()?.to_string();
    Some(Rejection { key, fingerprint })
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

    /// Subscribes to the rejection channel (once per store and its clones, on a connection of
    /// its own) and hands every provider that asks the rejections that arrive. `None` outside
    /// a tokio runtime.
    fn rejections(&self) -> Option<broadcast::Receiver<Rejection>> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let sender = self.pushes.get_or_init(|| {
            runtime.spawn(subscribe(self.link.clone(), Arc::downgrade(&self.pushes)));
            broadcast::channel(REJECTIONS_BUFFER).0
        });
        Some(sender.subscribe())
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
    fn a_rejection_message_names_key_and_fingerprint_only() {
        let key = StoreKey::new("https://token.example", "access", "scope");
        let rejection = Rejection::of(key.clone(), &BearerToken::new("secret-token"));
        let message = serde_json::json!({
            "key": key.as_str(),
            "fingerprint": rejection.fingerprint,
        })
        .to_string();
        assert!(!message.contains("secret-token"));
        assert_eq!(rejection.fingerprint.len(), 32);
        assert_eq!(parse(&message), Some(rejection));
        assert_eq!(parse(r#"{"key":"../x","fingerprint":"ab"}"#), None);
        assert_eq!(parse("not json"), None);
    }

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

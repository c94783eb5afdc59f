//! Category rules fetched through the client and kept for a while: constraint templates by
//! category id, notice items by notice code. The vendor changes templates now and then, so
//! entries expire after a time the caller chooses, counted on the client's clock.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::CategoryRules;
use crate::api::Client;
use crate::api::types::{CategoryConstraintTemplates, NoticeItems};
use crate::error::Error;

/// Keeps the category rules the checks need, fetched through a client: each category's
/// constraint templates (CAT-02) and each notice code's items (NTC-02), for `ttl` on the
/// fetching client's clock.
///
/// The reference data is the same for every seller, so one cache can serve every client.
/// It holds one entry per category and per notice code asked for (a few thousand at most).
///
/// ```no_run
/// # async fn run(client: toss_shopping::Client) -> Result<(), toss_shopping::Error> {
/// use std::time::Duration;
/// use toss_shopping::CallExt;
/// use toss_shopping::products::CategoryRulesCache;
///
/// let cache = CategoryRulesCache::new(Duration::from_secs(3600));
/// let rules = cache.rules(&client, 1_031_001, Some("PROCESSED_FOOD")).await?;
/// # let body: toss_shopping::types::ProductRegistration = todo!();
/// client.register_product().body(body).category_rules(rules).await?;
/// # Ok(()) }
/// ```
pub struct CategoryRulesCache {
    ttl: Duration,
    templates: Mutex<HashMap<i64, Entry<CategoryConstraintTemplates>>>,
    notices: Mutex<HashMap<String, Entry<NoticeItems>>>,
}

impl std::fmt::Debug for CategoryRulesCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The entries themselves are long lists of reference data; their number says enough.
        f.debug_struct("CategoryRulesCache")
            .field("ttl", &self.ttl)
            .field("templates", &lock(&self.templates).len())
            .field("notices", &lock(&self.notices).len())
            .finish()
    }
}

/// A fetched answer and when it was fetched.
#[derive(Debug)]
struct Entry<T> {
    at: Instant,
    value: Arc<T>,
}

impl CategoryRulesCache {
    /// An empty cache whose entries are fetched again once `ttl` has passed.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            templates: Mutex::default(),
            notices: Mutex::default(),
        }
    }

    /// The rules of leaf category `category_id`, with the items of `notice_code` when given,
    /// from the cache or fetched through `client` (one read each on a miss).
    pub async fn rules(
        &self,
        client: &Client,
        category_id: i64,
        notice_code: Option<&str>,
    ) -> Result<Arc<CategoryRules>, Error> {
        let templates = self.templates(client, category_id).await?;
        let mut rules = CategoryRules::new(category_id, &templates);
        if let Some(code) = notice_code {
            let items = self.notice_items(client, code).await?;
            rules = rules.with_notice_items(code, &items);
        }
        Ok(Arc::new(rules))
    }

    /// Forgets everything, so the next request fetches afresh.
    pub fn clear(&self) {
        lock(&self.templates).clear();
        lock(&self.notices).clear();
    }

    async fn templates(
        &self,
        client: &Client,
        category_id: i64,
    ) -> Result<Arc<CategoryConstraintTemplates>, Error> {
        let now = client.clock().now();
        if let Some(value) = fresh(&self.templates, &category_id, now, self.ttl) {
            return Ok(value);
        }
        let value = Arc::new(
            client
                .get_category_constraint_templates()
                .category_id(category_id)
                .await?,
        );
        store(&self.templates, category_id, now, value.clone());
        Ok(value)
    }

    async fn notice_items(&self, client: &Client, code: &str) -> Result<Arc<NoticeItems>, Error> {
        let now = client.clock().now();
        if let Some(value) = fresh(&self.notices, code, now, self.ttl) {
            return Ok(value);
        }
        let value = Arc::new(client.list_notice_items().category_code(code).await?);
        store(&self.notices, code.to_string(), now, value.clone());
        Ok(value)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The maps stay consistent whatever panicked while holding them.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The entry under `key` if it was fetched less than `ttl` before `now`.
fn fresh<K, Q, T>(
    map: &Mutex<HashMap<K, Entry<T>>>,
    key: &Q,
    now: Instant,
    ttl: Duration,
) -> Option<Arc<T>>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    lock(map)
        .get(key)
        .filter(|entry| now.saturating_duration_since(entry.at) < ttl)
        .map(|entry| entry.value.clone())
}

fn store<K: std::hash::Hash + Eq, T>(
    map: &Mutex<HashMap<K, Entry<T>>>,
    key: K,
    at: Instant,
    value: Arc<T>,
) {
    lock(map).insert(key, Entry { at, value });
}

//! Where a feed keeps its checkpoint: the [`CheckpointStore`] trait, a store in memory and
//! a store in files (Redis: `RedisCheckpointStore`, with the `redis` feature).
//!
//! A store keeps the checkpoint's bytes under a [`CheckpointKey`] and hands them back
//! unchanged. It must replace them in one step: a reader sees the old bytes or the new ones,
//! never a mix, even if the process dies in the middle of a save.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use super::checkpoint::{CheckpointError, CheckpointKey};
use crate::auth::BoxFuture;
use crate::auth::store::{create_private_dir, write_private_file};

/// Keeps feed checkpoints so that a feed resumes where it left off after a restart.
pub trait CheckpointStore: Send + Sync + fmt::Debug {
    /// The bytes last saved under `key`, or `None` when nothing was saved there.
    fn load<'a>(
        &'a self,
        key: &'a CheckpointKey,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, CheckpointError>>;

    /// Keeps `bytes` under `key`, replacing what was there in one step.
    fn save<'a>(
        &'a self,
        key: &'a CheckpointKey,
        bytes: &'a [u8],
    ) -> BoxFuture<'a, Result<(), CheckpointError>>;
}

/// Keeps checkpoints in memory: a feed that is rebuilt in the same process resumes, a
/// restarted process starts over. The default when a feed is given no store.
#[derive(Debug, Default)]
pub struct MemoryCheckpointStore {
    entries: Mutex<HashMap<CheckpointKey, Vec<u8>>>,
}

impl MemoryCheckpointStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<CheckpointKey, Vec<u8>>> {
        // Every update is one insert, so a panic elsewhere cannot leave an entry half-written.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl CheckpointStore for MemoryCheckpointStore {
    fn load<'a>(
        &'a self,
        key: &'a CheckpointKey,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, CheckpointError>> {
        let found = self.entries().get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn save<'a>(
        &'a self,
        key: &'a CheckpointKey,
        bytes: &'a [u8],
    ) -> BoxFuture<'a, Result<(), CheckpointError>> {
        self.entries().insert(key.clone(), bytes.to_vec());
        Box::pin(async { Ok(()) })
    }
}

/// Keeps each checkpoint in its own file, `<dir>/<key>.feed.json`, for a feed that runs
/// from cron or restarts.
///
/// A save writes a temporary file, flushes it to disk and renames it over the old one, so a
/// crash leaves the old checkpoint or the new one, never a torn file. Files are readable by
/// the owner only (0600 in a 0700 directory on Unix). The file work runs on tokio's blocking
/// pool: a large seller's checkpoint is megabytes.
#[derive(Debug, Clone)]
pub struct FileCheckpointStore {
    dir: PathBuf,
}

impl FileCheckpointStore {
    /// A store in `dir` (created on the first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The file that holds the checkpoint under `key`.
    pub fn path_for(&self, key: &CheckpointKey) -> PathBuf {
        self.dir.join(format!("{}.feed.json", key.as_str()))
    }
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, CheckpointError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => Ok(result?),
        Err(join) => Err(CheckpointError::Io(std::io::Error::other(join.to_string()))),
    }
}

/// The file's bytes, or `None` when it does not exist.
fn read_file(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Replaces the file at `path` with `bytes` in one step: a temporary file beside it, flushed,
/// then renamed over it, and the directory flushed so the rename survives a power loss.
fn replace_file(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create_private_dir(dir)?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    let written =
        write_private_file(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written?;
    sync_dir(dir)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

impl CheckpointStore for FileCheckpointStore {
    fn load<'a>(
        &'a self,
        key: &'a CheckpointKey,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, CheckpointError>> {
        let path = self.path_for(key);
        Box::pin(blocking(move || read_file(&path)))
    }

    fn save<'a>(
        &'a self,
        key: &'a CheckpointKey,
        bytes: &'a [u8],
    ) -> BoxFuture<'a, Result<(), CheckpointError>> {
        let (dir, path, bytes) = (self.dir.clone(), self.path_for(key), bytes.to_vec());
        Box::pin(blocking(move || replace_file(&dir, &path, &bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> CheckpointKey {
        CheckpointKey::new(name).unwrap()
    }

    /// A unique directory under the system temp dir, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(label: &str) -> Self {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos();
            Self(std::env::temp_dir().join(format!(
                "toss-shopping-feed-{label}-{}-{nanos}",
                std::process::id()
            )))
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    async fn round_trip(store: &dyn CheckpointStore) {
        let (a, b) = (key("seller-a"), key("seller-b"));
        assert_eq!(store.load(&a).await.unwrap(), None);
        store.save(&a, b"first").await.unwrap();
        store.save(&b, b"other").await.unwrap();
        store.save(&a, b"second").await.unwrap();
        assert_eq!(
            store.load(&a).await.unwrap().as_deref(),
            Some(&b"second"[..])
        );
        assert_eq!(
            store.load(&b).await.unwrap().as_deref(),
            Some(&b"other"[..])
        );
    }

    #[tokio::test]
    async fn the_memory_store_keeps_the_last_save_per_key() {
        round_trip(&MemoryCheckpointStore::new()).await;
    }

    #[tokio::test]
    async fn the_file_store_keeps_the_last_save_per_key_and_leaves_no_temporary_file() {
        let scratch = Scratch::new("files");
        let store = FileCheckpointStore::new(scratch.0.join("checkpoints"));
        round_trip(&store).await;
        let mut names: Vec<String> = std::fs::read_dir(scratch.0.join("checkpoints"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["seller-a.feed.json", "seller-b.feed.json"]);
        // A second store on the same directory (a restarted process) reads the same bytes.
        let again = FileCheckpointStore::new(scratch.0.join("checkpoints"));
        assert_eq!(
            again.load(&key("seller-a")).await.unwrap().as_deref(),
            Some(&b"second"[..])
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn checkpoint_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = Scratch::new("mode");
        let store = FileCheckpointStore::new(&scratch.0);
        store.save(&key("k"), b"{}").await.unwrap();
        let mode = std::fs::metadata(store.path_for(&key("k")))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[tokio::test]
    async fn an_unreadable_file_is_an_error_not_an_empty_checkpoint() {
        let scratch = Scratch::new("unreadable");
        let store = FileCheckpointStore::new(&scratch.0);
        // A directory where the file should be cannot be read as a file.
        std::fs::create_dir_all(store.path_for(&key("k"))).unwrap();
        assert!(matches!(
            store.load(&key("k")).await,
            Err(CheckpointError::Io(_))
        ));
    }
}

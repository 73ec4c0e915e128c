//! Starting worker threads without stopping the command when the system
//! will not start one (a low `ulimit -u`, a container's limit on
//! processes): the work of a thread that cannot be started is done on the
//! calling thread instead, so the result is the same, only slower.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{Builder, Scope, ScopedJoinHandle};

/// A job started on a thread of its own, or already done on the calling
/// thread (`None` in either: the job was not run, which does not happen).
pub enum Started<'scope, T> {
    Thread(ScopedJoinHandle<'scope, Option<T>>),
    /// Done here; `Err`: it panicked, caught as a thread's panic is, so
    /// the caller's recovery is the same.
    Here(std::thread::Result<Option<T>>),
}

impl<T> Started<'_, T> {
    /// The job's result; `Err` when its thread panicked.
    pub fn join(self) -> std::thread::Result<T> {
        let done = match self {
            Started::Thread(h) => h.join()?,
            Started::Here(t) => t?,
        };
        done.ok_or_else(|| Box::new("the job was not run") as _)
    }
}

/// Runs `job` on a new thread of `scope`, or here and now when the system
/// will not start one.
pub fn spawn<'scope, T, F>(scope: &'scope Scope<'scope, '_>, job: F) -> Started<'scope, T>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    spawn_with(Builder::new(), scope, job)
}

/// [`spawn`] with the thread made by `builder`.
fn spawn_with<'scope, T, F>(builder: Builder, scope: &'scope Scope<'scope, '_>, job: F) -> Started<'scope, T>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    // The job waits in a slot: a thread that is not started drops its
    // closure unrun, and the job is then taken from the slot here.
    let slot = Arc::new(Mutex::new(Some(job)));
    let theirs = Arc::clone(&slot);
    let take = |slot: &Mutex<Option<F>>| slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    match builder.spawn_scoped(scope, move || take(&theirs).map(|j| j())) {
        Ok(handle) => Started::Thread(handle),
        Err(_) => Started::Here(std::panic::catch_unwind(AssertUnwindSafe(|| take(&slot).map(|j| j())))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_job_runs_on_its_own_thread_or_here_when_none_starts() {
        let here = std::thread::current().id();
        std::thread::scope(|s| {
            let started = spawn(s, || std::thread::current().id());
            assert!(matches!(started, Started::Thread(_)));
            assert_ne!(started.join().unwrap(), here);
            // No system gives a thread a stack of 2^62 bytes.
            let refused = spawn_with(Builder::new().stack_size(1 << 62), s, || std::thread::current().id());
            assert!(matches!(refused, Started::Here(_)));
            assert_eq!(refused.join().unwrap(), here);
        });
    }

    #[test]
    fn a_job_that_panics_is_an_error_on_its_thread_or_here() {
        std::thread::scope(|s| {
            assert!(spawn(s, || panic!("boom")).join().is_err());
            let refused = spawn_with(Builder::new().stack_size(1 << 62), s, || panic!("boom"));
            assert!(matches!(refused, Started::Here(_)));
            assert!(refused.join().is_err());
        });
    }
}

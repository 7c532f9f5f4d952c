//! Running jobs (downloads, stream tails) that the user can cancel by id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// A shared cancel switch for a running job.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

#[derive(Default)]
pub struct Jobs {
    next: AtomicU32,
    running: Mutex<HashMap<u32, Cancel>>,
}

impl Jobs {
    /// Registers a new job and returns its id and cancel switch.
    pub fn start(&self) -> (u32, Cancel) {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let cancel = Cancel::default();
        if let Ok(mut r) = self.running.lock() {
            r.insert(id, cancel.clone());
        }
        (id, cancel)
    }

    /// Cancels a job; `false` when no such job is running.
    pub fn cancel(&self, id: u32) -> bool {
        match self.running.lock().ok().and_then(|r| r.get(&id).cloned()) {
            Some(c) => {
                c.cancel();
                true
            }
            None => false,
        }
    }

    /// Cancels every running job (Ctrl-C on the command line).
    pub fn cancel_all(&self) {
        if let Ok(r) = self.running.lock() {
            r.values().for_each(Cancel::cancel);
        }
    }

    pub fn finish(&self, id: u32) {
        if let Ok(mut r) = self.running.lock() {
            r.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_cancelled_by_id() {
        let jobs = Jobs::default();
        let (a, ca) = jobs.start();
        let (b, cb) = jobs.start();
        assert_ne!(a, b);
        assert!(jobs.cancel(a));
        assert!(ca.is_cancelled() && !cb.is_cancelled());
        jobs.finish(b);
        assert!(!jobs.cancel(b));
    }
}

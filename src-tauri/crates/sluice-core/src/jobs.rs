//! Running jobs (downloads, reports, Athena runs, publishing, stream tails) that the user can
//! cancel by id.
//!
//! A job is started with [`Jobs::start`] and finished when its [`Job`] is dropped, so no
//! caller pairs start and finish by hand and an early return cannot leave a job listed.
//! Cancelling is a [`CancellationToken`]: a job awaits `cancel.cancelled()` beside its work
//! (`tokio::select!`), so a cancel interrupts the wait it is in instead of being noticed at
//! the next poll. A job that says how it ended ([`Job::ended`]) is announced to the listener
//! the desktop registers ([`Jobs::on_end`]), which shows a notification when the window is
//! in the background.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

pub use tokio_util::sync::CancellationToken;

/// The cancel switch of one job (a [`CancellationToken`]).
pub type Cancel = CancellationToken;

/// How a job ended, in words for a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEnded {
    pub id: u32,
    /// "Download finished", "Report stopped".
    pub title: String,
    /// What it produced, or why it stopped.
    pub body: String,
}

type Listener = Arc<dyn Fn(&JobEnded) + Send + Sync>;

#[derive(Default)]
pub struct Jobs {
    next: AtomicU32,
    running: Mutex<HashMap<u32, Cancel>>,
    listener: Mutex<Option<Listener>>,
}

impl Jobs {
    /// Registers a new job named `what` ("Download", "Report"); it is finished when the
    /// returned [`Job`] is dropped.
    pub fn start(self: &Arc<Self>, what: &str) -> Job {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let cancel = Cancel::new();
        if let Ok(mut r) = self.running.lock() {
            r.insert(id, cancel.clone());
        }
        Job {
            id,
            cancel,
            what: what.to_string(),
            ended: None,
            jobs: self.clone(),
        }
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

    /// How many jobs are running.
    pub fn running(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// Calls `listener` each time a job that said how it ended finishes.
    pub fn on_end(&self, listener: impl Fn(&JobEnded) + Send + Sync + 'static) {
        if let Ok(mut slot) = self.listener.lock() {
            *slot = Some(Arc::new(listener));
        }
    }

    fn finish(&self, id: u32, ended: Option<JobEnded>) {
        if let Ok(mut r) = self.running.lock() {
            r.remove(&id);
        }
        let listener = self.listener.lock().ok().and_then(|l| l.clone());
        if let (Some(listener), Some(ended)) = (listener, ended) {
            listener(&ended);
        }
    }
}

/// A running job: its id and cancel token. Dropping it finishes the job.
pub struct Job {
    id: u32,
    cancel: Cancel,
    what: String,
    ended: Option<JobEnded>,
    jobs: Arc<Jobs>,
}

impl Job {
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The job's cancel token (cancelled by [`Jobs::cancel`] with this job's id).
    pub fn cancel(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Says how the job ended, for the announcement when it finishes: "<what> finished" with
    /// `done`'s text, or "<what> stopped" with the error.
    pub fn ended<T, E: std::fmt::Display>(
        &mut self,
        result: &Result<T, E>,
        done: impl FnOnce(&T) -> String,
    ) {
        let (title, body) = match result {
            Ok(value) => (format!("{} finished", self.what), done(value)),
            Err(e) => (format!("{} stopped", self.what), e.to_string()),
        };
        self.ended = Some(JobEnded {
            id: self.id,
            title,
            body,
        });
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.jobs.finish(self.id, self.ended.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_cancelled_by_id_and_finished_when_dropped() {
        let jobs = Arc::new(Jobs::default());
        let a = jobs.start("Download");
        let b = jobs.start("Report");
        assert_ne!(a.id(), b.id());
        assert_eq!(jobs.running(), 2);
        assert!(jobs.cancel(a.id()));
        assert!(a.cancel().is_cancelled() && !b.cancel().is_cancelled());
        let b_id = b.id();
        drop(b);
        assert!(!jobs.cancel(b_id));
        assert_eq!(jobs.running(), 1);
    }

    #[tokio::test]
    async fn a_cancel_wakes_the_wait_it_interrupts() {
        let jobs = Arc::new(Jobs::default());
        let job = jobs.start("Tail");
        let cancel = job.cancel();
        let id = job.id();
        let waiting = tokio::spawn(async move {
            tokio::select! {
                () = cancel.cancelled() => "cancelled",
                () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => "slept",
            }
        });
        assert!(jobs.cancel(id));
        assert_eq!(waiting.await.expect("join"), "cancelled");
    }

    #[test]
    fn an_ended_job_is_announced_once_and_a_silent_one_not_at_all() {
        let jobs = Arc::new(Jobs::default());
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = heard.clone();
        jobs.on_end(move |e| sink.lock().expect("lock").push(e.clone()));

        let mut ok = jobs.start("Download");
        ok.ended(&Ok::<u32, String>(3), |n| format!("{n} files written"));
        let ok_id = ok.id();
        drop(ok);
        let mut failed = jobs.start("Report");
        failed.ended(&Err::<u32, _>("Cancelled: the report"), |_| String::new());
        drop(failed);
        drop(jobs.start("Tail"));

        let heard = heard.lock().expect("lock");
        assert_eq!(
            *heard,
            vec![
                JobEnded {
                    id: ok_id,
                    title: "Download finished".into(),
                    body: "3 files written".into()
                },
                JobEnded {
                    id: ok_id + 1,
                    title: "Report stopped".into(),
                    body: "Cancelled: the report".into()
                },
            ]
        );
    }
}

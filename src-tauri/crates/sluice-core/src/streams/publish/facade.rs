//! The publish actions the app and the CLI share: the dry run, the send as a cancellable
//! job, and saving the events log.

use std::sync::Arc;

use serde::Serialize;

use super::ledger::Ledger;
use super::run::{self, LogEvent, PublishEvent, PublishPlan, PublishRequest, PublishStats};
use super::send::Retry;
use crate::context::Sluice;
use crate::error::Result;

/// A publish job's message for the UI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PublishJobEvent {
    pub job: u32,
    pub event: PublishEvent,
}

impl Sluice {
    fn ledger(&self) -> Result<Ledger> {
        let dir = self
            .settings()
            .path()
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        Ledger::open(&dir)
    }

    /// The dry run: records, partition keys and batches, nothing sent.
    pub fn publish_plan(&self, req: &PublishRequest) -> Result<PublishPlan> {
        run::plan(req, &mut self.ledger()?)
    }

    /// Sends as a cancellable job; `on` gets the job id with every event.
    pub async fn publish(
        &self,
        req: &PublishRequest,
        on: Arc<dyn Fn(u32, PublishEvent) + Send + Sync>,
    ) -> Result<PublishStats> {
        let kinesis = self.kinesis_client(req.connection.as_deref()).await?;
        let mut ledger = self.ledger()?;
        let mut job = self.jobs().start("Publish");
        let (id, cancel) = (job.id(), job.cancel());
        let report = move |e: PublishEvent| on(id, e);
        let result = run::publish(
            &kinesis,
            req,
            &mut ledger,
            Retry::default(),
            &cancel,
            &report,
        )
        .await;
        job.ended(&result, |stats| format!("{} records sent", stats.sent));
        result
    }

    /// Saves an events log as CSV.
    pub fn export_publish_events(
        &self,
        events: &[LogEvent],
        path: &std::path::Path,
        replace: bool,
    ) -> Result<String> {
        self.save_user_file(path, &run::events_csv(events), replace)
    }
}

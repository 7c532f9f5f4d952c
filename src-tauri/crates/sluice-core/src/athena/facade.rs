//! The Athena actions the app and the CLI share: the estimate (partitions, bytes, cost, the
//! SQL and the DDL, before anything runs), creating the table, and running a report.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::query::{self, QueryProgress};
use super::table::{self, TableReady};
use super::{cost_usd, ddl, sql, with_policy_hint, AthenaTarget};
use crate::context::Sluice;
use crate::error::Result;
use crate::report::spec::{current_hour, Dataset, ReportSpec};
use crate::validate;

/// What an Athena report would scan and cost, and what it would run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AthenaEstimate {
    pub partitions: u32,
    pub hours: u32,
    pub objects: u32,
    /// S3 bytes in exactly those partitions (what Athena scans for gzip CSV).
    pub bytes: f64,
    pub cost_usd: f64,
    pub sql: String,
    pub ddl: String,
}

/// A finished Athena report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AthenaReport {
    pub path: String,
    pub rows: f64,
    pub query_id: String,
    pub scanned_bytes: f64,
    pub cost_usd: f64,
    pub seconds: f64,
}

/// A running query's message for the UI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AthenaJobEvent {
    pub job: u32,
    pub progress: QueryProgress,
}

impl Sluice {
    /// Lists exactly the range's partitions and prices the scan.
    pub async fn athena_estimate(
        &self,
        spec: &ReportSpec,
        target: &AthenaTarget,
    ) -> Result<AthenaEstimate> {
        target.validate()?;
        let plan = self.report_plan(spec).await?;
        let (from, to) = spec.range.resolve(current_hour())?;
        Ok(AthenaEstimate {
            partitions: plan.partitions,
            hours: plan.hours,
            objects: plan.objects.len() as u32,
            bytes: plan.bytes,
            cost_usd: cost_usd(plan.bytes),
            sql: sql::report_query(spec, from, to, target)?,
            ddl: ddl::create_table(&spec.bucket, &spec.prefix, plan.layout, target)?,
        })
    }

    /// The CREATE EXTERNAL TABLE for a dataset: its partition layout is read from the bucket,
    /// no date range is needed.
    pub async fn athena_ddl(&self, dataset: &Dataset, target: &AthenaTarget) -> Result<String> {
        target.validate()?;
        let layout = self.dataset_layout(dataset).await?;
        ddl::create_table(&dataset.bucket, &dataset.prefix, layout, target)
    }

    async fn dataset_layout(&self, dataset: &Dataset) -> Result<crate::s3::partitions::Layout> {
        validate::bucket_name(&dataset.bucket)?;
        validate::prefix(&dataset.prefix)?;
        let s3 = self.s3_client(dataset.connection.as_deref()).await?;
        let (_, layout, _) =
            crate::s3::listing::partition_root(&s3, &dataset.bucket, &dataset.prefix).await?;
        Ok(layout)
    }

    /// Creates the table unless an identical one exists; another table of that name is an
    /// error that says what it reads.
    pub async fn athena_create_table(
        &self,
        dataset: &Dataset,
        target: &AthenaTarget,
    ) -> Result<TableReady> {
        target.validate()?;
        let layout = self.dataset_layout(dataset).await?;
        let clients = self.clients_for(dataset.connection.as_deref()).await?;
        let (location, template) =
            ddl::location_and_template(&dataset.bucket, &dataset.prefix, layout);
        if let Some(found) = table::existing(&clients.glue(), target)
            .await
            .map_err(with_policy_hint)?
        {
            table::compare(&found, &location, &template, target)?;
            return Ok(TableReady {
                reused: true,
                query_id: None,
                message: format!(
                    "{}.{} already reads {location}: reused as it is",
                    target.database, target.table
                ),
            });
        }
        let athena = clients.athena();
        let output = query::output_location(&athena, target)
            .await
            .map_err(with_policy_hint)?;
        let text = ddl::create_table(&dataset.bucket, &dataset.prefix, layout, target)?;
        let (done, _) = query::run(
            &athena,
            &text,
            target,
            &output,
            &crate::jobs::Cancel::default(),
            &|_| {},
        )
        .await
        .map_err(with_policy_hint)?;
        Ok(TableReady {
            reused: false,
            message: format!(
                "{}.{} created over {location} (query {})",
                target.database, target.table, done.query_id
            ),
            query_id: Some(done.query_id),
        })
    }

    /// Runs the report on Athena and streams the result into `path`.
    pub async fn athena_report(
        &self,
        spec: &ReportSpec,
        target: &AthenaTarget,
        path: &Path,
        replace: bool,
        on: Arc<dyn Fn(u32, QueryProgress) + Send + Sync>,
    ) -> Result<AthenaReport> {
        target.validate()?;
        spec.validate()?;
        crate::report::output::check_target(path, replace)?;
        let (from, to) = spec.range.resolve(current_hour())?;
        let text = sql::report_query(spec, from, to, target)?;
        let clients = self.clients_for(spec.connection.as_deref()).await?;
        let athena = clients.athena();
        let output = query::output_location(&athena, target)
            .await
            .map_err(with_policy_hint)?;
        let mut job = self.jobs().start("Athena report");
        let (id, cancel) = (job.id(), job.cancel());
        let report = move |p: QueryProgress| on(id, p);
        let ran = query::run(&athena, &text, target, &output, &cancel, &report).await;
        let (done, file) = match ran.map_err(with_policy_hint) {
            Ok(r) => r,
            Err(e) => {
                job.ended(&Err::<(), _>(&e), |_| String::new());
                return Err(e);
            }
        };
        // The job stays cancellable while the result streams down.
        let downloaded = query::download_result(
            &clients.s3(),
            &file,
            &spec.output_columns(),
            path,
            spec.format,
            replace,
            &cancel,
        )
        .await
        .map_err(with_policy_hint);
        job.ended(&downloaded, |(written, _)| written.clone());
        let (written, rows) = downloaded?;
        Ok(AthenaReport {
            path: written,
            rows: rows as f64,
            query_id: done.query_id,
            scanned_bytes: done.scanned_bytes,
            cost_usd: cost_usd(done.scanned_bytes),
            seconds: done.seconds,
        })
    }
}

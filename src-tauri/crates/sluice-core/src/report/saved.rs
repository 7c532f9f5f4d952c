//! Saved report definitions: a name and a [`ReportSpec`] (relative ranges included), kept in
//! the settings file so "last 7 days for machines 1013 and 1014" runs again in one click.

use serde::{Deserialize, Serialize};

use super::spec::ReportSpec;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SavedReport {
    pub name: String,
    pub spec: ReportSpec,
}

/// This feature's section of the settings file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SavedReports {
    #[serde(default)]
    reports: Vec<SavedReport>,
}

impl Sluice {
    /// Saved definitions, by name.
    pub fn saved_reports(&self) -> Result<Vec<SavedReport>> {
        let mut list = self.settings().read::<SavedReports>()?.reports;
        list.sort_by_key(|r| r.name.to_lowercase());
        Ok(list)
    }

    /// Saves a definition; one with the same name is replaced only with `replace`.
    pub fn save_report(&self, saved: SavedReport, replace: bool) -> Result<Vec<SavedReport>> {
        let name = validate::display_name(saved.name.trim())?.to_string();
        saved.spec.validate()?;
        self.settings().update(|settings: &mut SavedReports| {
            if let Some(pos) = settings.reports.iter().position(|r| r.name == name) {
                if !replace {
                    return Err(CoreError::invalid(
                        "report name",
                        format!("a report named '{name}' is already saved"),
                    ));
                }
                settings.reports.remove(pos);
            }
            settings.reports.push(SavedReport {
                name,
                spec: saved.spec,
            });
            Ok(())
        })?;
        self.saved_reports()
    }

    pub fn delete_report(&self, name: &str) -> Result<Vec<SavedReport>> {
        self.settings().update(|settings: &mut SavedReports| {
            let before = settings.reports.len();
            settings.reports.retain(|r| r.name != name);
            if settings.reports.len() == before {
                return Err(CoreError::NotFound {
                    action: "delete report".into(),
                    message: format!("no saved report named '{name}'"),
                });
            }
            Ok(())
        })?;
        self.saved_reports()
    }

    /// One saved definition by name.
    pub fn saved_report(&self, name: &str) -> Result<SavedReport> {
        self.saved_reports()?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| CoreError::NotFound {
                action: "run report".into(),
                message: format!("no saved report named '{name}'"),
            })
    }
}

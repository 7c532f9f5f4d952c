//! Choosing a path in the desktop's own file dialogs. The app runs the dialog (tauri-plugin-
//! dialog, from Rust) behind [`Chooser`]; what comes back is checked here before anything
//! is read or written, and tested with a fake chooser.
//!
//! GTK's save dialog does not add the extension of the chosen filter, so a name typed
//! without one gets it here.

use std::path::PathBuf;

use crate::error::{CoreError, Result};

/// A kind of file offered first in the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

pub const JSON_POLICY: Filter = Filter {
    name: "JSON policy",
    extensions: &["json"],
};
pub const TERRAFORM: Filter = Filter {
    name: "Terraform",
    extensions: &["tf"],
};
pub const CLOUDFORMATION: Filter = Filter {
    name: "CloudFormation template",
    extensions: &["yaml", "yml"],
};
pub const JSON_CREDENTIALS: Filter = Filter {
    name: "JSON credentials",
    extensions: &["json"],
};
pub const CSV: Filter = Filter {
    name: "CSV",
    extensions: &["csv"],
};
/// A report: CSV first, a workbook accepted as typed.
pub const REPORT_CSV: Filter = Filter {
    name: "Report (CSV or Excel workbook)",
    extensions: &["csv", "xlsx"],
};
/// A report: a workbook first, CSV accepted as typed.
pub const REPORT_XLSX: Filter = Filter {
    name: "Report (Excel workbook or CSV)",
    extensions: &["xlsx", "csv"],
};
pub const JSONL: Filter = Filter {
    name: "JSON lines",
    extensions: &["jsonl"],
};
pub const HANDOVER: Filter = Filter {
    name: "Handover text",
    extensions: &["txt", "md", "eml", "json"],
};
pub const GZIP: Filter = Filter {
    name: "Gzip downloads",
    extensions: &["gz"],
};

/// What the dialog asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskKind {
    /// A file to write, suggesting `file_name` (the dialog asks before replacing one).
    Save { file_name: String },
    /// One existing file.
    Open,
    /// Several existing files.
    OpenMany,
    /// One folder.
    Folder,
}

/// One dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub title: String,
    pub kind: AskKind,
    pub filter: Option<Filter>,
    /// The folder it opens in.
    pub start_in: Option<PathBuf>,
}

impl Ask {
    /// A save dialog suggesting `file_name`, made safe for every platform's file system.
    pub fn save(title: &str, file_name: &str, filter: Filter) -> Self {
        let file_name =
            crate::files::names::safe_file_name(file_name).unwrap_or_else(|| "untitled".to_owned());
        Self {
            title: title.into(),
            kind: AskKind::Save { file_name },
            filter: Some(filter),
            start_in: None,
        }
    }
    pub fn open(title: &str, filter: Filter) -> Self {
        Self {
            title: title.into(),
            kind: AskKind::Open,
            filter: Some(filter),
            start_in: None,
        }
    }
    pub fn open_many(title: &str, filter: Option<Filter>) -> Self {
        Self {
            title: title.into(),
            kind: AskKind::OpenMany,
            filter,
            start_in: None,
        }
    }
    pub fn folder(title: &str, start_in: Option<PathBuf>) -> Self {
        Self {
            title: title.into(),
            kind: AskKind::Folder,
            filter: None,
            start_in: start_in.filter(|p| p.is_dir()),
        }
    }
}

/// The desktop's file dialog. Blocks until the user answers; empty when cancelled.
pub trait Chooser {
    fn choose(&self, ask: &Ask) -> Vec<PathBuf>;
}

fn bad(what: &str, path: &std::path::Path, why: &str) -> CoreError {
    CoreError::invalid(what, format!("{}: {why}", path.display()))
}

/// Runs `ask` and checks the answer: absolute paths only; a file to save is not a folder,
/// lives in an existing folder and has the filter's extension; files to open exist and are
/// files; a folder is a folder. `Ok(vec![])` when the user cancelled.
pub fn choose(chooser: &dyn Chooser, ask: &Ask) -> Result<Vec<PathBuf>> {
    let mut picked = chooser.choose(ask);
    if matches!(
        ask.kind,
        AskKind::Save { .. } | AskKind::Open | AskKind::Folder
    ) {
        picked.truncate(1);
    }
    picked
        .into_iter()
        .map(|p| {
            if !p.is_absolute() {
                return Err(bad("path", &p, "not an absolute path"));
            }
            match &ask.kind {
                AskKind::Save { .. } => checked_save_path(p, ask.filter),
                AskKind::Open | AskKind::OpenMany if !p.is_file() => {
                    Err(bad("file", &p, "not a file"))
                }
                AskKind::Folder if !p.is_dir() => Err(bad("folder", &p, "not a folder")),
                _ => Ok(p),
            }
        })
        .collect()
}

/// The one path chosen, if any.
pub fn choose_one(chooser: &dyn Chooser, ask: &Ask) -> Result<Option<PathBuf>> {
    Ok(choose(chooser, ask)?.into_iter().next())
}

fn checked_save_path(mut p: PathBuf, filter: Option<Filter>) -> Result<PathBuf> {
    if p.is_dir() {
        return Err(bad("file", &p, "is a folder: choose a file name"));
    }
    let has_ext = |p: &PathBuf, f: Filter| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| f.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    };
    if let Some(f) = filter {
        if !has_ext(&p, f) {
            if let Some(first) = f.extensions.first() {
                let mut name = p.file_name().unwrap_or_default().to_os_string();
                name.push(format!(".{first}"));
                p.set_file_name(name);
                // The dialog asked about replacing the name as typed, not this one.
                if p.exists() {
                    return Err(bad(
                        "file",
                        &p,
                        "already exists: choose another name, or type it with its extension",
                    ));
                }
            }
        }
    }
    match p.parent() {
        Some(dir) if dir.is_dir() => Ok(p),
        _ => Err(bad("file", &p, "its folder does not exist")),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Answers each dialog with the next scripted answer and keeps what was asked.
    struct FakeChooser {
        answers: Mutex<Vec<Vec<PathBuf>>>,
        asked: Mutex<Vec<Ask>>,
    }

    impl FakeChooser {
        fn new(answers: Vec<Vec<PathBuf>>) -> Self {
            Self {
                answers: Mutex::new(answers),
                asked: Mutex::new(Vec::new()),
            }
        }
    }

    impl Chooser for FakeChooser {
        fn choose(&self, ask: &Ask) -> Vec<PathBuf> {
            self.asked.lock().expect("lock").push(ask.clone());
            let mut answers = self.answers.lock().expect("lock");
            if answers.is_empty() {
                Vec::new()
            } else {
                answers.remove(0)
            }
        }
    }

    #[test]
    fn save_adds_the_filter_extension_and_checks_the_folder() {
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path();
        std::fs::write(d.join("taken.json"), "{}").expect("write");
        let fake = FakeChooser::new(vec![
            vec![d.join("taken")],
            vec![d.join("policy")],
            vec![d.join("policy.JSON")],
            vec![d.join("missing/policy.json")],
            vec![d.to_path_buf()],
            vec![PathBuf::from("relative.json")],
            vec![],
        ]);
        let ask = Ask::save("Save the policy", "reader.json", JSON_POLICY);
        let one = |f: &FakeChooser| choose_one(f, &ask);
        let err = one(&fake).expect_err("taken.json exists and nobody was asked");
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(one(&fake).expect("ok"), Some(d.join("policy.json")));
        assert_eq!(one(&fake).expect("ok"), Some(d.join("policy.JSON")));
        assert!(one(&fake).is_err(), "no such folder");
        assert!(one(&fake).is_err(), "a folder is not a file");
        assert!(one(&fake).is_err(), "relative");
        assert_eq!(one(&fake).expect("cancelled"), None);
        let asked = fake.asked.lock().expect("lock");
        assert_eq!(asked.len(), 7);
        assert_eq!(
            asked[0].kind,
            AskKind::Save {
                file_name: "reader.json".into()
            }
        );
    }

    #[test]
    fn open_and_folder_answers_must_exist_as_asked() {
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path();
        let file = d.join("handover.txt");
        std::fs::write(&file, "RoleArn: x").expect("write");
        let fake = FakeChooser::new(vec![
            vec![file.clone()],
            vec![d.join("gone.txt")],
            vec![d.to_path_buf()],
            vec![file.clone()],
            vec![file.clone(), d.to_path_buf()],
        ]);
        let open = Ask::open("Open the handover", HANDOVER);
        assert_eq!(choose_one(&fake, &open).expect("ok"), Some(file.clone()));
        assert!(choose_one(&fake, &open).is_err(), "missing file");
        let folder = Ask::folder("Download to", Some(d.join("nope")));
        assert_eq!(folder.start_in, None, "a missing start folder is dropped");
        assert_eq!(
            choose_one(&fake, &folder).expect("ok"),
            Some(d.to_path_buf())
        );
        assert!(
            choose_one(&fake, &folder).is_err(),
            "a file is not a folder"
        );
        let many = Ask::open_many("Repair", Some(GZIP));
        assert!(choose(&fake, &many).is_err(), "a folder among files");
    }
}

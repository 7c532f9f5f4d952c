//! A handover saved as a file (the vendor's email as text, a note, a JSON snippet), opened
//! through the native dialog. Its fields go to the UI as a pasted handover's do; its text
//! (with the secrets) stays in memory in Rust until the connection is saved from it.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::handover::{self, HandoverFields};

/// Larger than any handover email: a bigger file is not one.
pub const MAX_BYTES: u64 = 256 * 1024;

/// The file read and the fields it holds (never its secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OpenedHandover {
    pub path: String,
    pub fields: HandoverFields,
}

/// The text of a handover file: UTF-8 text of at most [`MAX_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    let bad =
        |why: String| CoreError::invalid("handover file", format!("{}: {why}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(e.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(bad(format!(
            "larger than {} KiB, so not a handover",
            MAX_BYTES / 1024
        )));
    }
    if bytes.contains(&0) {
        return Err(bad("not a text file".into()));
    }
    String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))
}

/// Reads a handover file for review.
pub fn read_file(path: &Path) -> Result<OpenedHandover> {
    let text = read_text(path)?;
    Ok(OpenedHandover {
        path: path.display().to_string(),
        fields: handover::parse(&text).fields,
    })
}

/// The text of the handover file the user opened, held for the save that follows so its
/// secrets never go to the UI and the connection is saved with exactly what was reviewed:
/// this feature's state in the [`crate::Sluice`] context.
#[derive(Default)]
struct OpenedText(std::sync::Mutex<Option<crate::Sensitive<String>>>);

impl crate::Sluice {
    /// Keeps (or with `None` drops) the text of the handover file the user opened.
    pub(crate) fn keep_opened_handover(&self, text: Option<crate::Sensitive<String>>) {
        if let Ok(mut slot) = self.state::<OpenedText>().0.lock() {
            *slot = text;
        }
    }

    /// The text of the handover file the user opened, if any.
    pub(crate) fn opened_handover(&self) -> Option<String> {
        self.state::<OpenedText>()
            .0
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|t| t.expose().clone()))
    }

    /// Reads the handover file the user chose and keeps its text for the save that follows
    /// (`save_connection_with_handover(.., from_opened_file = true)`): the webview never
    /// names a file to read secrets from.
    pub fn open_handover_file(&self, path: &Path) -> Result<OpenedHandover> {
        let text = read_text(path)?;
        let opened = OpenedHandover {
            path: path.display().to_string(),
            fields: handover::parse(&text).fields,
        };
        self.keep_opened_handover(Some(crate::Sensitive::new(text)));
        Ok(opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_but_never_the_secret_and_refuses_what_is_not_text() {
        let dir = tempfile::tempdir().expect("dir");
        let good = dir.path().join("handover.txt");
        std::fs::write(
            &good,
            "Role: arn:aws:iam::123456789012:role/vendor-read\nExternal ID: Zq3-very-secret-9\n",
        )
        .expect("write");
        let opened = read_file(&good).expect("read");
        assert_eq!(
            opened.fields.role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/vendor-read")
        );
        assert!(opened.fields.external_id_found);
        let json = serde_json::to_string(&opened).expect("json");
        assert!(!json.contains("Zq3-very-secret-9"), "{json}");

        let binary = dir.path().join("photo.gz");
        std::fs::write(&binary, [0x1f, 0x8b, 0, 0]).expect("write");
        assert!(read_file(&binary).is_err());
        let big = dir.path().join("big.txt");
        std::fs::write(&big, "a".repeat(MAX_BYTES as usize + 1)).expect("write");
        assert!(read_file(&big)
            .expect_err("too big")
            .to_string()
            .contains("KiB"));
        assert!(read_file(&dir.path().join("missing.txt")).is_err());
    }

    #[test]
    fn a_connection_is_saved_with_the_opened_file_s_secret_and_only_after_opening() {
        let dir = tempfile::tempdir().expect("dir");
        let (sluice, secrets) = crate::context::test_context(dir.path());
        let draft = || crate::connections::ConnectionDraft {
            name: "vendor".into(),
            role_arn: Some("arn:aws:iam::123456789012:role/vendor-read".into()),
            ..Default::default()
        };
        let err = sluice
            .save_connection_with_handover(draft(), None, true)
            .expect_err("nothing opened");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);

        let file = dir.path().join("handover.txt");
        std::fs::write(
            &file,
            "Role: arn:aws:iam::123456789012:role/vendor-read\nExternal ID: Zq3-very-secret-9\n",
        )
        .expect("write");
        sluice.open_handover_file(&file).expect("open");
        // Changing the file after review changes nothing: what was read is what is saved.
        std::fs::write(&file, "External ID: another-secret-77\n").expect("rewrite");
        sluice
            .save_connection_with_handover(draft(), None, true)
            .expect("save");
        use crate::secrets::{SecretKey, SecretKind, SecretStore};
        let key = SecretKey::new(SecretKind::ExternalId, "vendor").expect("key");
        let stored = secrets.get(&key).expect("get").expect("stored");
        assert_eq!(stored.expose(), "Zq3-very-secret-9");
        assert!(
            sluice.opened_handover().is_none(),
            "the text is dropped once saved"
        );
    }
}

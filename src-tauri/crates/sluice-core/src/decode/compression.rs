//! gzip and zlib inside a record, recognised by their magic bytes and inflated within a
//! budget (a record is at most 1 MiB; what it inflates to is capped too).

use std::io::Read;

/// The most a record may inflate to.
pub const MAX_INFLATED: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zlib,
}

pub fn detect(data: &[u8]) -> Option<Compression> {
    match data {
        [0x1f, 0x8b, ..] => Some(Compression::Gzip),
        // CMF 0x78 with a valid FCHECK: (CMF * 256 + FLG) % 31 == 0.
        [0x78, flg, ..] if (0x78u16 * 256 + u16::from(*flg)) % 31 == 0 => Some(Compression::Zlib),
        _ => None,
    }
}

/// The inflated bytes, or why they could not be read.
pub fn inflate(data: &[u8], how: Compression) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let read = match how {
        Compression::Gzip => flate2::read::MultiGzDecoder::new(data)
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out),
        Compression::Zlib => flate2::read::ZlibDecoder::new(data)
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out),
    };
    match read {
        Ok(_) if out.len() as u64 > MAX_INFLATED => {
            Err(format!("inflates past {} MiB", MAX_INFLATED / 1024 / 1024))
        }
        Ok(_) => Ok(out),
        Err(e) => Err(format!(
            "corrupt {}: {e}",
            if how == Compression::Gzip {
                "gzip"
            } else {
                "zlib"
            }
        )),
    }
}

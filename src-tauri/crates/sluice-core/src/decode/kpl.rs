//! Records packed by the Kinesis Producer Library: magic `F3 89 9A C2`, a protobuf
//! `AggregatedRecord`, then the MD5 of that protobuf. Each inner record is its own row with
//! its partition key and explicit hash key from the key tables. A bad checksum or broken
//! protobuf is reported, never hidden: the caller shows the record raw with the note.

use md5::{Digest, Md5};

pub const MAGIC: [u8; 4] = [0xF3, 0x89, 0x9A, 0xC2];
const DIGEST_LEN: usize = 16;

/// One record from inside an aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InnerRecord {
    pub partition_key: Option<String>,
    pub explicit_hash_key: Option<String>,
    pub data: Vec<u8>,
}

/// Why an aggregate could not be unpacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KplError {
    BadChecksum,
    Malformed(&'static str),
}

impl std::fmt::Display for KplError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadChecksum => f.write_str("KPL aggregate with a wrong MD5 checksum"),
            Self::Malformed(what) => write!(f, "KPL aggregate that does not parse ({what})"),
        }
    }
}

/// Whether `data` claims to be a KPL aggregate.
pub fn is_aggregate(data: &[u8]) -> bool {
    data.len() >= MAGIC.len() + DIGEST_LEN && data.starts_with(&MAGIC)
}

/// A protobuf reader over a byte slice: varints and length-delimited fields only, which is
/// all `AggregatedRecord` uses.
struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, KplError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self
                .buf
                .split_first()
                .ok_or(KplError::Malformed("varint cut short"))?;
            self.buf = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(KplError::Malformed("varint too long"))
    }

    fn bytes(&mut self) -> Result<&'a [u8], KplError> {
        let len = usize::try_from(self.varint()?).map_err(|_| KplError::Malformed("length"))?;
        if len > self.buf.len() {
            return Err(KplError::Malformed("field longer than the record"));
        }
        let (field, rest) = self.buf.split_at(len);
        self.buf = rest;
        Ok(field)
    }

    /// Skips a field of a wire type this decoder does not use.
    fn skip(&mut self, wire: u64) -> Result<(), KplError> {
        match wire {
            0 => self.varint().map(|_| ()),
            1 => self.advance(8),
            2 => self.bytes().map(|_| ()),
            5 => self.advance(4),
            _ => Err(KplError::Malformed("unknown wire type")),
        }
    }

    fn advance(&mut self, n: usize) -> Result<(), KplError> {
        if n > self.buf.len() {
            return Err(KplError::Malformed("field cut short"));
        }
        self.buf = &self.buf[n..];
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
}

fn text(bytes: &[u8]) -> Result<String, KplError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| KplError::Malformed("key is not UTF-8"))
}

struct Packed {
    partition_key_index: Option<u64>,
    explicit_hash_key_index: Option<u64>,
    data: Vec<u8>,
}

fn record(bytes: &[u8]) -> Result<Packed, KplError> {
    let mut r = Reader { buf: bytes };
    let mut out = Packed {
        partition_key_index: None,
        explicit_hash_key_index: None,
        data: Vec::new(),
    };
    while !r.is_empty() {
        let tag = r.varint()?;
        match (tag >> 3, tag & 7) {
            (1, 0) => out.partition_key_index = Some(r.varint()?),
            (2, 0) => out.explicit_hash_key_index = Some(r.varint()?),
            (3, 2) => out.data = r.bytes()?.to_vec(),
            (_, wire) => r.skip(wire)?,
        }
    }
    out.partition_key_index
        .ok_or(KplError::Malformed("record without a partition key index"))?;
    Ok(out)
}

/// Unpacks an aggregate into its records, in order.
pub fn deaggregate(data: &[u8]) -> Result<Vec<InnerRecord>, KplError> {
    if !is_aggregate(data) {
        return Err(KplError::Malformed("no KPL magic"));
    }
    let body = &data[MAGIC.len()..data.len() - DIGEST_LEN];
    let digest = &data[data.len() - DIGEST_LEN..];
    if Md5::digest(body).as_slice() != digest {
        return Err(KplError::BadChecksum);
    }
    let mut r = Reader { buf: body };
    let (mut partition_keys, mut hash_keys, mut packed) = (Vec::new(), Vec::new(), Vec::new());
    while !r.is_empty() {
        let tag = r.varint()?;
        match (tag >> 3, tag & 7) {
            (1, 2) => partition_keys.push(text(r.bytes()?)?),
            (2, 2) => hash_keys.push(text(r.bytes()?)?),
            (3, 2) => packed.push(record(r.bytes()?)?),
            (_, wire) => r.skip(wire)?,
        }
    }
    let lookup = |table: &[String], index: Option<u64>| -> Result<Option<String>, KplError> {
        match index {
            None => Ok(None),
            Some(i) => usize::try_from(i)
                .ok()
                .and_then(|i| table.get(i))
                .cloned()
                .map(Some)
                .ok_or(KplError::Malformed("key index outside the key table")),
        }
    };
    packed
        .into_iter()
        .map(|p| {
            Ok(InnerRecord {
                partition_key: lookup(&partition_keys, p.partition_key_index)?,
                explicit_hash_key: lookup(&hash_keys, p.explicit_hash_key_index)?,
                data: p.data,
            })
        })
        .collect()
}

/// Packs records the way the KPL does (for tests and for reading back what was sent).
pub fn aggregate(records: &[InnerRecord]) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    fn field(out: &mut Vec<u8>, number: u64, bytes: &[u8]) {
        varint(out, number << 3 | 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }
    let index_of = |table: &mut Vec<String>, key: &str| -> u64 {
        let at = table.iter().position(|k| k == key).unwrap_or_else(|| {
            table.push(key.to_string());
            table.len() - 1
        });
        at as u64
    };
    let (mut pk, mut ehk) = (Vec::new(), Vec::new());
    let mut packed = Vec::new();
    for r in records {
        let mut rec = Vec::new();
        varint(&mut rec, 1 << 3);
        varint(
            &mut rec,
            index_of(&mut pk, r.partition_key.as_deref().unwrap_or("")),
        );
        if let Some(h) = &r.explicit_hash_key {
            varint(&mut rec, 2 << 3);
            varint(&mut rec, index_of(&mut ehk, h));
        }
        field(&mut rec, 3, &r.data);
        packed.push(rec);
    }
    let mut body = Vec::new();
    for k in &pk {
        field(&mut body, 1, k.as_bytes());
    }
    for k in &ehk {
        field(&mut body, 2, k.as_bytes());
    }
    for rec in &packed {
        field(&mut body, 3, rec);
    }
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&body);
    out.extend_from_slice(Md5::digest(&body).as_slice());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(pk: &str, ehk: Option<&str>, data: &str) -> InnerRecord {
        InnerRecord {
            partition_key: Some(pk.into()),
            explicit_hash_key: ehk.map(str::to_string),
            data: data.as_bytes().to_vec(),
        }
    }

    #[test]
    fn round_trip_with_two_partition_keys_and_an_explicit_hash_key() {
        let records = vec![
            inner("machine-1013", None, "a"),
            inner(
                "machine-1014",
                Some("340282366920938463463374607431768211455"),
                "b",
            ),
            inner("machine-1013", None, "c"),
        ];
        let packed = aggregate(&records);
        assert!(is_aggregate(&packed));
        assert_eq!(deaggregate(&packed).expect("unpacks"), records);
    }

    #[test]
    fn a_bad_checksum_or_broken_protobuf_is_reported() {
        let mut packed = aggregate(&[inner("k", None, "x")]);
        let last = packed.len() - 1;
        packed[last] ^= 0xff;
        assert_eq!(deaggregate(&packed), Err(KplError::BadChecksum));
        let mut body = MAGIC.to_vec();
        let junk = [0x1a, 0x7f, 0x01];
        body.extend_from_slice(&junk);
        body.extend_from_slice(Md5::digest(junk).as_slice());
        assert!(matches!(deaggregate(&body), Err(KplError::Malformed(_))));
    }
}

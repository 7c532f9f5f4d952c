//! PutRecords batches: at most 500 records and 5 MiB (data plus partition keys) per call.

use std::ops::Range;

pub const MAX_BATCH_RECORDS: usize = 500;
pub const MAX_BATCH_BYTES: usize = 5 << 20;

/// Cuts a stream of records into calls as they come: `fits` says whether one more record
/// of `size` bytes may join the call being gathered.
#[derive(Debug, Default, Clone, Copy)]
pub struct Batcher {
    records: usize,
    bytes: usize,
}

impl Batcher {
    pub fn fits(&self, size: usize) -> bool {
        self.records == 0
            || (self.records < MAX_BATCH_RECORDS && self.bytes + size <= MAX_BATCH_BYTES)
    }

    pub fn add(&mut self, size: usize) {
        self.records += 1;
        self.bytes += size;
    }

    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// Consecutive ranges of `sizes` (each record's bytes) that fit in one call each.
pub fn batches(sizes: &[usize]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && (i - start == MAX_BATCH_RECORDS || bytes + size > MAX_BATCH_BYTES) {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_the_count_and_the_byte_limit() {
        let small = vec![100; 1201];
        let b = batches(&small);
        assert_eq!(b, vec![0..500, 500..1000, 1000..1201]);
        let big = vec![1 << 20; 12];
        let b = batches(&big);
        assert_eq!(b, vec![0..5, 5..10, 10..12]);
        assert!(batches(&[]).is_empty());
    }

    /// The streaming cutter makes the same calls as the whole-list one.
    #[test]
    fn the_batcher_cuts_where_batches_cuts() {
        let sizes: Vec<usize> = (0..3000).map(|i| (i * 7919) % 40_000 + 1).collect();
        let mut cut = Vec::new();
        let (mut b, mut start) = (Batcher::default(), 0);
        for (i, &size) in sizes.iter().enumerate() {
            if !b.fits(size) {
                cut.push(start..i);
                start = i;
                b.clear();
            }
            b.add(size);
        }
        if !b.is_empty() {
            cut.push(start..sizes.len());
        }
        assert_eq!(cut, batches(&sizes));
    }
}

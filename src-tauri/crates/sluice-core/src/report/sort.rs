//! Sorting a report by event time in bounded memory: rows gather in a run up to a budget, a
//! full run is sorted and spilled to an anonymous temp file (deleted by the OS whatever
//! happens), and the runs are merged at the end. Equal times keep their file order.
//!
//! Open spill files are bounded too: when `max_open` runs are on disk they are merged into
//! one (a pass), so a year of rows never needs more descriptors than `max_open` + 1 — well
//! under the lowest default open-file limit (256 on macOS).

use std::collections::BinaryHeap;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;

/// One row: its sort key and its encoded line.
type Row = (Vec<u8>, Vec<u8>);

/// Where merged rows go: their key and their line.
type RowSink<'a> = dyn FnMut(&[u8], &[u8]) -> std::io::Result<()> + 'a;

/// Spill files kept open before they are merged into one.
pub const MAX_OPEN_RUNS: usize = 64;

pub struct ExternalSort {
    dir: std::path::PathBuf,
    budget: usize,
    run: Vec<Row>,
    run_bytes: usize,
    spills: Vec<std::fs::File>,
    max_open: usize,
    passes: usize,
}

fn write_len(w: &mut impl Write, b: &[u8]) -> std::io::Result<()> {
    w.write_all(&(b.len() as u32).to_le_bytes())?;
    w.write_all(b)
}

fn read_len(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut n = [0u8; 4];
    match r.read_exact(&mut n) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut b = vec![0; u32::from_le_bytes(n) as usize];
    r.read_exact(&mut b)?;
    Ok(Some(b))
}

impl ExternalSort {
    /// Spill files go in `dir` (the output's folder); `budget` bytes of rows stay in memory.
    pub fn new(dir: &Path, budget: usize) -> Self {
        Self {
            dir: dir.to_path_buf(),
            budget: budget.max(1024),
            run: Vec::new(),
            run_bytes: 0,
            spills: Vec::new(),
            max_open: MAX_OPEN_RUNS,
            passes: 0,
        }
    }

    /// At most `max_open` (at least 2) spill files open at once.
    pub fn with_max_open(mut self, max_open: usize) -> Self {
        self.max_open = max_open.max(2);
        self
    }

    pub fn push(&mut self, key: &[u8], line: &[u8]) -> std::io::Result<()> {
        self.run_bytes += key.len() + line.len() + 48;
        self.run.push((key.to_vec(), line.to_vec()));
        if self.run_bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> std::io::Result<()> {
        self.run.sort_by(|a, b| a.0.cmp(&b.0));
        let file = tempfile::tempfile_in(&self.dir)?;
        let mut w = BufWriter::new(file);
        for (k, l) in self.run.drain(..) {
            write_len(&mut w, &k)?;
            write_len(&mut w, &l)?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.spills.push(file);
        self.run_bytes = 0;
        if self.spills.len() >= self.max_open {
            self.merge_pass()?;
        }
        Ok(())
    }

    /// Merges every open run into one spill file, which keeps their order for equal keys
    /// because the merged run is older than every run spilled after it.
    fn merge_pass(&mut self) -> std::io::Result<()> {
        let runs: Vec<std::fs::File> = self.spills.drain(..).collect();
        let mut w = BufWriter::new(tempfile::tempfile_in(&self.dir)?);
        merge(runs, &mut |k, l| {
            write_len(&mut w, k)?;
            write_len(&mut w, l)
        })?;
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.spills.push(file);
        self.passes += 1;
        Ok(())
    }

    /// Spill files open now.
    pub fn open_runs(&self) -> usize {
        self.spills.len()
    }

    /// Merge passes made so far to keep the open runs under the limit.
    pub fn merge_passes(&self) -> usize {
        self.passes
    }

    /// Writes every row in key order to `out`.
    pub fn finish(
        mut self,
        out: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if self.spills.is_empty() {
            self.run.sort_by(|a, b| a.0.cmp(&b.0));
            return self.run.iter().try_for_each(|(_, l)| out(l));
        }
        if !self.run.is_empty() {
            self.spill()?;
        }
        let runs: Vec<std::fs::File> = self.spills.drain(..).collect();
        merge(runs, &mut |_, l| out(l))
    }
}

/// Merges sorted runs into `out` in key order; for equal keys, earlier runs first.
fn merge(runs: Vec<std::fs::File>, out: &mut RowSink<'_>) -> std::io::Result<()> {
    let mut readers: Vec<BufReader<std::fs::File>> = runs
        .into_iter()
        .map(|f| BufReader::with_capacity(64 * 1024, f))
        .collect();
    // Min-heap on (key, run): runs are in input order, so ties keep file order.
    let mut heap = BinaryHeap::new();
    let next = |r: &mut BufReader<std::fs::File>| -> std::io::Result<Option<Row>> {
        match read_len(r)? {
            Some(k) => Ok(read_len(r)?.map(|l| (k, l))),
            None => Ok(None),
        }
    };
    for (i, r) in readers.iter_mut().enumerate() {
        if let Some((k, l)) = next(r)? {
            heap.push(std::cmp::Reverse((k, i, l)));
        }
    }
    while let Some(std::cmp::Reverse((key, i, line))) = heap.pop() {
        out(&key, &line)?;
        if let Some((k, l)) = next(&mut readers[i])? {
            heap.push(std::cmp::Reverse((k, i, l)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finishes `s` and checks its lines against `(key, input position, line)` sorted by
    /// key, equal keys in input order.
    fn assert_merged_in_order(s: ExternalSort, mut expected: Vec<(String, u32, String)>) {
        expected.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut got = Vec::new();
        s.finish(&mut |l| {
            got.push(String::from_utf8_lossy(l).into_owned());
            Ok(())
        })
        .expect("merge");
        let want: Vec<String> = expected.into_iter().map(|e| e.2).collect();
        assert_eq!(got.len(), want.len());
        assert!(got == want, "key order, equal keys in input order");
    }

    #[test]
    fn spilled_runs_merge_in_key_order_and_ties_keep_their_order() {
        let dir = tempfile::tempdir().expect("dir");
        let mut s = ExternalSort::new(dir.path(), 2048);
        let mut expected = Vec::new();
        for i in 0..500u32 {
            let key = format!("2020-09-21 10:{:02}", (i * 37) % 60);
            let line = format!("{key},{i}\n");
            s.push(key.as_bytes(), line.as_bytes()).expect("push");
            expected.push((key, i, line));
        }
        assert!(s.open_runs() > 3);
        assert_merged_in_order(s, expected);
        // The spill files were anonymous: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
    }

    /// Descriptors this process holds on files in `dir` (the spill files are anonymous, but
    /// their links still name the folder).
    #[cfg(target_os = "linux")]
    fn open_in(dir: &Path) -> usize {
        std::fs::read_dir("/proc/self/fd")
            .map(|fds| {
                fds.flatten()
                    .filter_map(|fd| std::fs::read_link(fd.path()).ok())
                    .filter(|target| target.starts_with(dir))
                    .count()
            })
            .unwrap_or(0)
    }

    #[test]
    fn a_low_open_file_limit_is_kept_by_merging_in_passes() {
        let dir = tempfile::tempdir().expect("dir");
        let dir_path = dir.path().canonicalize().expect("canonical");
        let mut s = ExternalSort::new(dir.path(), 1024).with_max_open(4);
        let mut expected = Vec::new();
        let mut most_open = 0;
        for i in 0..3000u32 {
            let key = format!("2021-01-{:02}", (i * 7919) % 28 + 1);
            let line = format!("{key},{i}\n");
            s.push(key.as_bytes(), line.as_bytes()).expect("push");
            expected.push((key, i, line));
            assert!(s.open_runs() < 4, "{} runs open", s.open_runs());
            #[cfg(target_os = "linux")]
            {
                most_open = most_open.max(open_in(&dir_path));
            }
        }
        // Hundreds of runs were spilled, yet never more than the limit were open.
        assert!(s.merge_passes() > 20, "{} passes", s.merge_passes());
        #[cfg(target_os = "linux")]
        assert!((1..4).contains(&most_open), "{most_open} spill files open");
        let _ = &dir_path;
        assert_merged_in_order(s, expected);
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
    }
}

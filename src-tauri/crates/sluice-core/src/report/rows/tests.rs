use std::io::Write;

use super::*;

const ROWS: &str = "\
2020-09-21 10:00:01.000,2020-09-21 10:00:02.000,c1,1013,Sample,LOAD,X1load,6,,,,
2020-09-21 10:00:03.000,2020-09-21 10:00:04.000,c1,1014,Sample,LOAD,X1load,7,,,,
2020-09-21 10:00:00.500,2020-09-21 10:00:05.000,c1,1013,Alarm,,alarm,on,E1,high,q,Spindle, overheated
";

fn spec() -> ReportSpec {
    ReportSpec::sample("b", "ts/")
}

fn gz(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text.as_bytes()).expect("gzip");
    e.finish().expect("gzip")
}

fn run(input: &[u8], spec: &ReportSpec) -> std::result::Result<(String, ObjectStats), String> {
    let rules = RowRules::new(spec, false);
    let mut out = Vec::new();
    let stats = read_object(input, &rules, &mut |c: Chunk| {
        out.extend_from_slice(&c.data);
        true
    })?
    .expect("not stopped");
    Ok((String::from_utf8(out).expect("utf8"), stats))
}

#[test]
fn gzip_is_known_by_its_bytes_and_rows_pass_through() {
    let (plain, stats) = run(ROWS.as_bytes(), &spec()).expect("plain");
    let (zipped, _) = run(&gz(ROWS), &spec()).expect("gzip");
    assert_eq!(plain, zipped);
    assert_eq!((stats.rows_read, stats.rows_kept), (3, 3));
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines[0], ROWS.lines().next().expect("row"));
    // The unquoted comma in the description stays in the description, now quoted.
    assert!(
        lines[2].ends_with(",\"Spindle, overheated\""),
        "{}",
        lines[2]
    );
    let m = &stats.machines["1013"];
    assert_eq!(m.rows, 2);
    assert_eq!(m.first_event.as_deref(), Some("2020-09-21 10:00:00.500"));
    assert_eq!(m.last_event.as_deref(), Some("2020-09-21 10:00:01.000"));
}

#[test]
fn a_header_row_names_the_columns_in_any_order() {
    let text = "machineRef,eventTime,value,key,type\n1013,2020-09-21 10:00:01,6,X1load,Sample\n";
    let mut s = spec();
    s.columns = vec!["eventTime".into(), "machineRef".into(), "value".into()];
    let (out, stats) = run(text.as_bytes(), &s).expect("header");
    assert_eq!(out, "2020-09-21 10:00:01,1013,6\n");
    assert_eq!(stats.rows_read, 1);
    s.columns = vec!["description".into()];
    assert!(run(text.as_bytes(), &s)
        .expect_err("an error")
        .contains("no 'description' column"));
}

#[test]
fn each_filter_keeps_only_its_rows() {
    let kept = |f: Filters| {
        let mut s = spec();
        s.filters = f;
        run(ROWS.as_bytes(), &s).expect("run").1.rows_kept
    };
    let machines = Filters {
        machines: vec!["1014".into()],
        ..Filters::default()
    };
    assert_eq!(kept(machines), 1);
    let t = Filters {
        r#type: Some("Alarm".into()),
        ..Filters::default()
    };
    assert_eq!(kept(t), 1);
    let k = Filters {
        key: Some("X1load".into()),
        ..Filters::default()
    };
    assert_eq!(kept(k), 2);
    let v = Filters {
        value_contains: Some("7".into()),
        ..Filters::default()
    };
    assert_eq!(kept(v), 1);
}

#[test]
fn short_rows_and_damaged_gzip_name_their_line() {
    let err = run(b"2020-09-21 10:00:01,x,c1,1013\n", &spec()).expect_err("an error");
    assert!(err.contains("line 1: 4 fields, expected 12"), "{err}");
    let mut broken = gz(&ROWS.repeat(2000));
    let n = broken.len();
    broken[n / 2..n / 2 + 64].fill(0x55);
    let err = run(&broken, &spec()).expect_err("an error");
    // Inflated garbage may first show as a short row; either way the line is named.
    assert!(err.starts_with("line "), "{err}");
}

#[test]
fn sorting_keeps_each_rows_event_time() {
    let mut s = spec();
    s.sort_by_event_time = true;
    let rules = RowRules::new(&s, true);
    let mut chunks = Vec::new();
    read_object(ROWS.as_bytes(), &rules, &mut |c: Chunk| {
        chunks.push(c);
        true
    })
    .expect("read");
    let c = &chunks[0];
    assert_eq!(c.rows.len(), 3);
    let key = |i: usize| std::str::from_utf8(&c.data[c.rows[i].key_start..c.rows[i].key_end]);
    assert_eq!(key(2), Ok("2020-09-21 10:00:00.500"));
    assert!(c.data[c.rows[0].start..c.rows[0].end].ends_with(b",,,,\r\n"));
}

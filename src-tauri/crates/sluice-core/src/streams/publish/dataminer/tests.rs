use serde_json::Value;

use super::*;

/// The `required` lists of the seed's three JSON schemas, in the seed's order.
const SEED_DATA: &[&str] = &[
    "DOCUMENT_TYPE",
    "DMAID",
    "EID",
    "PID",
    "INDEX",
    "VALUE",
    "TIMESTAMP",
    "TIMESTAMP_UNIX",
    "ISTATUS",
    "ISTATUS_DESC",
    "ELEMENT_NAME",
    "PARAMETER_NAME",
];
const SEED_AVG: &[&str] = &[
    "DOCUMENT_TYPE",
    "DMAID",
    "EID",
    "PID",
    "INDEX",
    "AVGTREND",
    "TIMESTAMP",
    "TIMESTAMP_UNIX",
    "ISTATUS",
    "ISTATUS_DESC",
    "ELEMENT_NAME",
    "PARAMETER_NAME",
];
const SEED_ALARM: &[&str] = &[
    "DOCUMENT_TYPE",
    "DMAID",
    "EID",
    "PID",
    "ALARMID",
    "PREVKEY",
    "VALUE",
    "SEVERITY_ID",
    "SEVERITY",
    "SEVERITY_LEVEL_ID",
    "SEVERITY_LEVEL",
    "TOA",
    "TOA_UNIX",
    "TYPE_ID",
    "TYPE",
    "OWNER",
    "STATUS_ID",
    "STATUS",
    "USERCOMMENT",
    "UPLOADED",
    "SOURCE_ID",
    "SOURCE",
    "USERSTATUS_ID",
    "USERSTATUS",
    "ROOTKEY",
    "INDEX",
    "RCALEVEL",
    "DISPLAY_INDEX",
    "ELEMENT_NAME",
    "PARAMETER_NAME",
    "DISPLAY_VALUE",
    "CREATIONTIME",
    "CREATIONTIME_UNIX",
];

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn keys(json: &str) -> Vec<String> {
    // Key order as written (serde_json's map sorts, so read the text).
    let v: Value = serde_json::from_str(json).expect("json");
    let mut found: Vec<(usize, String)> = v
        .as_object()
        .expect("object")
        .keys()
        .map(|k| (json.find(&format!("\"{k}\":")).expect("key"), k.clone()))
        .collect();
    found.sort();
    found.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn a_data_row_becomes_the_seeds_record_field_for_field() {
    let layout = Layout::ordered(DataType::Data);
    let json = to_json(
        &layout,
        &row(&[
            "35712",
            "1743",
            "7017",
            "Bristow Group-Lagos BRC-62964",
            "0.123",
            "2019-11-25T15:10:00",
            "1574694600",
            "0",
            "Realtime trending point",
            "FST_IS1002_N1_IDRCT_EH_EH",
            "Remote QoS Downstream Requested Bristow Group-Lagos BRC-62964",
        ]),
    )
    .expect("data");
    assert_eq!(keys(&json), SEED_DATA);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["DOCUMENT_TYPE"], "DATA");
    assert_eq!(v["DMAID"], 35712);
    assert_eq!(v["VALUE"], "0.123", "VALUE stays a string");
    assert_eq!(v["TIMESTAMP_UNIX"], 1_574_694_600_i64);
    assert!(v["TIMESTAMP_UNIX"].is_i64());
    assert_eq!(v["TIMESTAMP"], "2019-11-25T15:10:00");
}

#[test]
fn a_data_avg_row_nests_avgtrend_and_an_alarm_row_has_every_field() {
    let avg = to_json(
        &Layout::ordered(DataType::DataAvg),
        &row(&[
            "35712",
            "1743",
            "7017",
            "idx",
            "0.02343",
            "0.021",
            "0.024",
            "2019-11-25 15:10:00",
            "1574694600",
            "5",
            "AVG Trending point (timewindow last 5 minutes)",
            "E",
            "P",
        ]),
    )
    .expect("avg");
    assert_eq!(keys(&avg), SEED_AVG);
    let v: Value = serde_json::from_str(&avg).expect("json");
    assert_eq!(
        v["AVGTREND"],
        serde_json::json!({"AVG": "0.02343", "MIN": "0.021", "MAX": "0.024"})
    );
    assert_eq!(
        v["TIMESTAMP"], "2019-11-25T15:10:00",
        "a space becomes the seed's T"
    );
    assert_eq!(v["ISTATUS"], 5);

    let mut cells = vec![
        "35708",
        "240",
        "145",
        "1082431",
        "0",
        "259",
        "1",
        "Critical",
        "6",
        "High",
        "2019-11-25T15:10:00",
        "1574694600",
        "10",
        "New alarm",
        "",
        "12",
        "Open",
        "",
        "",
        "16",
        "DataMiner System",
        "19",
        "Acknowledged",
        "1082431",
        "idx",
        "-1",
        "idx",
        "E",
        "P",
        "259",
        "2019-11-25T15:10:00",
        "1574694600",
    ];
    let alarm = to_json(&Layout::ordered(DataType::Alarm), &row(&cells)).expect("alarm");
    assert_eq!(keys(&alarm), SEED_ALARM);
    let v: Value = serde_json::from_str(&alarm).expect("json");
    assert_eq!(
        (v["ALARMID"].as_i64(), v["RCALEVEL"].as_i64()),
        (Some(1_082_431), Some(-1))
    );
    assert_eq!(v["STATUS"], "Open");
    assert_eq!(v["VALUE"], "259");

    cells[3] = "12a";
    let err = to_json(&Layout::ordered(DataType::Alarm), &row(&cells)).expect_err("not a number");
    assert!(err.contains("ALARMID '12a' is not a number"), "{err}");
}

#[test]
fn bad_rows_are_refused_with_the_reason() {
    let layout = Layout::ordered(DataType::Data);
    let good = [
        "1",
        "2",
        "3",
        "i",
        "v",
        "2019-11-25T15:10:00",
        "1574694600",
        "0",
        "d",
        "e",
        "p",
    ];
    let mut bad_time = good;
    bad_time[5] = "25/11/2019 15:10";
    assert!(to_json(&layout, &row(&bad_time))
        .expect_err("time")
        .contains("TIMESTAMP"));
    let mut bad_unix = good;
    bad_unix[6] = "1574694600.5";
    assert!(to_json(&layout, &row(&bad_unix))
        .expect_err("unix")
        .contains("Unix time"));
    assert!(to_json(&layout, &row(&good[..5]))
        .expect_err("short")
        .contains("5 columns"));
}

#[test]
fn the_type_comes_from_a_header_or_a_file_name() {
    let header = row(&["DOCUMENT_TYPE", "DMAID", "EID", "PID", "ALARMID", "TOA"]);
    assert_eq!(DataType::from_header(&header), Some(DataType::Alarm));
    assert_eq!(
        DataType::from_header(&row(&["dmaid", "eid", "pid", "AVG"])),
        Some(DataType::DataAvg)
    );
    assert_eq!(
        DataType::from_header(&row(&["35712", "1743", "7017"])),
        None
    );
    assert_eq!(
        DataType::from_file_name("DMA35712_Alarm_20191125.csv"),
        Some(DataType::Alarm)
    );
    assert_eq!(
        DataType::from_file_name("offload_DataAvg_1.csv"),
        Some(DataType::DataAvg)
    );
    assert_eq!(DataType::from_file_name("Data_1.csv"), Some(DataType::Data));
    assert_eq!(DataType::from_file_name("x.csv"), None);
    // A header in any order, with extra columns.
    let h = row(&[
        "VALUE",
        "EXTRA",
        "DMAID",
        "EID",
        "PID",
        "INDEX",
        "TIMESTAMP",
        "TIMESTAMP_UNIX",
        "ISTATUS",
        "ISTATUS_DESC",
        "ELEMENT_NAME",
        "PARAMETER_NAME",
        "ELEMENT_PROPERTIES",
    ]);
    let layout = Layout::from_header(DataType::Data, &h).expect("layout");
    let json = to_json(
        &layout,
        &row(&[
            "7",
            "x",
            "1",
            "2",
            "3",
            "i",
            "2019-11-25T15:10:00",
            "1574694600",
            "0",
            "d",
            "e",
            "p",
            "{\"site\":\"Lagos\"}",
        ]),
    )
    .expect("json");
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        (v["VALUE"].as_str(), v["DMAID"].as_i64()),
        (Some("7"), Some(1))
    );
    assert_eq!(v["ELEMENT_PROPERTIES"]["site"], "Lagos");
    assert!(Layout::from_header(DataType::Alarm, &h).is_err());
}

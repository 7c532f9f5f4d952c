"""Seeds a running moto server with a small demo vendor world for `make demo`.

- S3 bucket `mm-demo-data` with hive-partitioned (year=/month=/day=/hour=) gzipped CSV in
  the MachineMetrics schema, one plain-CSV file mislabelled `.gz` (as browsers produce),
  and a Stream Machine style JSONL batch plus its empty validation file.
- Kinesis stream `mm-demo-events` with 2 shards of base64-free CSV records.
- IAM role `the-data-access-role` whose trust policy requires an ExternalId.

It also writes the vendor's handover email for this world, to paste into New connection.

Usage: seed_demo.py ENDPOINT_URL [HANDOVER_OUT]
"""

import datetime as dt
import gzip
import io
import json
import random
import sys
import uuid

import boto3

COLUMNS = ["eventTime", "processTime", "companyId", "machineRef", "type", "subtype",
           "key", "value", "nativeCode", "nativeSeverity", "qualifier", "description"]
COMPANY = "37326c68-f123-46fb-34fa-0d468f673100"
MACHINES = [1013, 1014, 2077]
METRICS = [("LOAD", "", "X1load"), ("ROTARY_VELOCITY", "", "S1speed"),
           ("EXECUTION", "", "execution"), ("ALARM", "SYSTEM", "alarm")]


def row(t: dt.datetime, rng: random.Random) -> list:
    typ, sub, key = rng.choice(METRICS)
    machine = rng.choice(MACHINES)
    if typ == "ALARM":
        value, code, sev, qual, desc = "FAULT", "EX0012", "2", "HIGH", "Spindle overload"
    elif typ == "EXECUTION":
        value, code, sev, qual, desc = rng.choice(["ACTIVE", "READY", "STOPPED"]), "", "", "", ""
    else:
        value, code, sev, qual, desc = str(rng.randint(0, 120)), "", "", "", ""
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    return [t.strftime(fmt)[:-3], (t + dt.timedelta(seconds=5)).strftime(fmt)[:-3], COMPANY,
            machine, typ, sub, key, value, code, sev, qual, desc]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    for r in rows:
        out.write(",".join(str(c) for c in r) + "\n")
    return out.getvalue().encode()


def main(endpoint: str, out_path: str | None = None) -> None:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    cfg = boto3.session.Config(s3={"addressing_style": "path"})
    s3 = session.client("s3", endpoint_url=endpoint, config=cfg)
    kinesis = session.client("kinesis", endpoint_url=endpoint)
    iam = session.client("iam", endpoint_url=endpoint)
    rng = random.Random(7)

    bucket = "mm-demo-data"
    s3.create_bucket(Bucket=bucket)
    start = dt.datetime(2020, 9, 21, 10, 0, 0)
    for hour in range(4):
        for five in range(0, 60, 15):
            t0 = start + dt.timedelta(hours=hour, minutes=five)
            rows = [row(t0 + dt.timedelta(seconds=i * 3), rng) for i in range(200)]
            key = (f"timeseries/year={t0:%Y}/month={t0:%m}/day={t0:%d}/hour={t0:%H}/"
                   f"company-name-2-{t0:%Y-%m-%d-%H-%M-%S}-{uuid.UUID(int=rng.getrandbits(128))}.gz")
            s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(csv_bytes(rows)))
    # A download a browser already unzipped: plain CSV under a .gz name.
    s3.put_object(Bucket=bucket, Key="exports/unzipped-by-browser.gz",
                  Body=csv_bytes([COLUMNS] + [row(start, rng) for _ in range(20)]))
    # Stream Machine style export: a JSONL batch and the empty validation file.
    batch = "\n".join(json.dumps({"strmMeta": {"eventContractRef": "demo/machine/1.0.0",
                                               "timestamp": 1600682610000 + i},
                                  "machineRef": 1013, "value": i}) for i in range(10))
    s3.put_object(Bucket=bucket, Key="strm/2020-09-21T10:03:30-stream-0-0.jsonl", Body=batch.encode())
    s3.put_object(Bucket=bucket, Key=f"strm/.strm_test_{uuid.UUID(int=1)}.jsonl", Body=b"")

    stream = "mm-demo-events"
    kinesis.create_stream(StreamName=stream, ShardCount=2)
    records = [{"Data": csv_bytes([row(start + dt.timedelta(seconds=i), rng)]),
                "PartitionKey": str(rng.choice(MACHINES))} for i in range(60)]
    kinesis.put_records(StreamName=stream, Records=records)

    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "demo-external-id"}}}]}
    iam.create_role(RoleName="the-data-access-role", AssumeRolePolicyDocument=json.dumps(trust))

    role_arn = "arn:aws:iam::123456789012:role/the-data-access-role"
    stream_arn = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
    handover = (
        "Hello, here is your MachineMetrics data access.\n\n"
        f"  • ARN of a role in our account: {role_arn}\n"
        "  • External ID: demo-external-id\n"
        f"  • ARN of the Kinesis Stream: {stream_arn}\n"
        f"  • ARN of the S3 Bucket: arn:aws:s3:::{bucket}/timeseries/\n"
        "  • URL to switch roles: https://signin.aws.amazon.com/switchrole?roleName=the-data-access-role"
        "&account=123456789012&displayName=MachineMetrics\n"
    )
    if out_path:
        with open(out_path, "w", encoding="utf-8") as f:
            f.write(handover)
    print(f"seeded: s3://{bucket} ({16 + 3} objects), kinesis {stream} (2 shards, 60 records), "
          f"role the-data-access-role")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: seed_demo.py ENDPOINT_URL [HANDOVER_OUT]")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None)

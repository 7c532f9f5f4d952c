#!/usr/bin/env python3
"""Generate the policy linter's action catalog from the AWS Service Authorization Reference.

Source: `iam_definition.json` as published inside the PyPI package `parliament` (the
open-source IAM linter), which is itself scraped from AWS's Service Authorization
Reference. We keep every service prefix (to tell an unknown service from a known one) and,
for the services Sluice writes policies for, every action with its access level and the
resource types it accepts, each resource type's ARN pattern, and the service's condition
keys with their types ("" where the reference names a key without a type).

Usage: scripts/gen_iam_catalog.py [path/to/iam_definition.json]
  (default: the one inside the installed `parliament` package; scripts/requirements-bench.txt
   puts it in the project venv: .venv/bin/python scripts/gen_iam_catalog.py)
Writes src-tauri/crates/sluice-core/src/policy/catalog.json (committed).
"""
import json
import pathlib
import sys

DETAILED = ("s3", "kinesis", "sts", "iam", "kms", "athena", "glue")
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "src-tauri/crates/sluice-core/src/policy/catalog.json"


def find_definition() -> pathlib.Path:
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    import parliament  # noqa: PLC0415 (only needed without an explicit path)

    return pathlib.Path(parliament.__file__).parent / "iam_definition.json"


def main() -> None:
    source = find_definition()
    services = json.loads(source.read_text())
    prefixes = sorted({s["prefix"] for s in services})
    detailed = {}
    for svc in services:
        prefix = svc["prefix"]
        if prefix not in DETAILED:
            continue
        entry = detailed.setdefault(
            prefix, {"name": svc["service_name"], "resources": {}, "conditions": {}, "actions": {}}
        )
        # IAM appears twice (old and new names): keep the union, newest name.
        if len(svc["privileges"]) >= len(entry["actions"]):
            entry["name"] = svc["service_name"]
        for res in svc["resources"]:
            entry["resources"][res["resource"]] = res["arn"]
        for cond in svc["conditions"]:
            entry["conditions"][cond["condition"]] = cond["type"]
        for priv in svc["privileges"]:
            types = sorted(
                {t["resource_type"].rstrip("*") for t in priv["resource_types"] if t["resource_type"]}
            )
            for t in priv["resource_types"]:
                for key in t["condition_keys"]:
                    entry["conditions"].setdefault(key, "")
            entry["actions"][priv["privilege"]] = {"access": priv["access_level"], "resources": types}
    for entry in detailed.values():
        entry["conditions"] = dict(sorted(entry["conditions"].items()))
        entry["actions"] = dict(sorted(entry["actions"].items()))
        entry["resources"] = dict(sorted(entry["resources"].items()))
    catalog = {
        "source": "AWS Service Authorization Reference, via iam_definition.json of PyPI parliament",
        "prefixes": prefixes,
        "services": dict(sorted(detailed.items())),
    }
    OUT.write_text(json.dumps(catalog, indent=None, separators=(",", ":"), sort_keys=False) + "\n")
    counts = ", ".join(f"{p} {len(e['actions'])}" for p, e in sorted(detailed.items()))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(prefixes)} service prefixes; actions: {counts}")


if __name__ == "__main__":
    main()

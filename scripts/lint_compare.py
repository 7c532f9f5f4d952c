#!/usr/bin/env python3
"""Sluice's policy linter beside Parliament (PyPI `parliament`, the open-source IAM linter).

Both read the same policies:
  1. Sluice's corpus with known verdicts (src-tauri/crates/sluice-core/tests/policies/corpus.json):
     the vendors' own examples, valid policies of every kind, one case per error.
  2. Optionally (--parliament-tests DIR), Parliament's own unit tests: every policy they analyse
     whose actions are all in s3, kinesis, sts, iam or kms, with Parliament's findings there as
     its authors expect them (the tests pass).

For the corpus it reports, per tool, the invalid policies caught and the false alarms on valid
ones. Sluice "flags" a policy when it reports an error (its exit code 1). Parliament is counted
two ways: any finding (its exit code), and findings of MEDIUM severity or worse.

Usage: scripts/lint_compare.py --sluice target/debug/sluice [--parliament-tests DIR] [--verbose]
"""
import argparse
import importlib.util
import inspect
import json
import pathlib
import re
import subprocess
import sys

import parliament
from parliament import analyze_policy_string

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src-tauri/crates/sluice-core/tests/policies/corpus.json"
SERVICES = {"s3", "kinesis", "sts", "iam", "kms"}
SERIOUS = {"CRITICAL", "HIGH", "MEDIUM"}


def sluice_report(binary, text, kind=None):
    args = [binary, "--json", "policy", "lint", "-"]
    if kind:
        args += ["--kind", kind]
    out = subprocess.run(args, input=text, capture_output=True, text=True, check=False)
    try:
        return json.loads(out.stdout)
    except ValueError:
        sys.exit(f"sluice gave no JSON report (exit {out.returncode}): {out.stderr.strip()}")


def sluice_lint(binary, text, kind=None):
    """The error codes Sluice reports."""
    report = sluice_report(binary, text, kind)
    return sorted({f["code"] for f in report["findings"] if f["severity"] == "error"})


def parliament_lint(text):
    policy = analyze_policy_string(text, ignore_private_auditors=True)
    ids, serious = set(), set()
    for f in policy.findings:
        ids.add(f.issue)
        if str(parliament.config.get(f.issue, {}).get("severity", "")).upper() in SERIOUS:
            serious.add(f.issue)
    return sorted(ids), sorted(serious)


def corpus_table(binary, verbose):
    cases = json.loads(CORPUS.read_text())["cases"]
    rows, tally = [], {"valid": 0, "invalid": 0, "sluice_caught": 0, "sluice_false": 0,
                       "parl_caught": 0, "parl_false": 0, "parl_serious_caught": 0, "parl_serious_false": 0}
    for c in cases:
        invalid = bool(c["expect"])
        s_err = sluice_lint(binary, c["policy"], c.get("kind"))
        p_any, p_serious = parliament_lint(c["policy"])
        tally["invalid" if invalid else "valid"] += 1
        for key, flagged in (("sluice", bool(s_err)), ("parl", bool(p_any)), ("parl_serious", bool(p_serious))):
            if invalid and flagged:
                tally[f"{key}_caught"] += 1
            if not invalid and flagged:
                tally[f"{key}_false"] += 1
        rows.append((c["name"], "invalid" if invalid else "valid", ",".join(s_err) or "-", ",".join(p_any) or "-"))
    print(f"## Corpus: {len(cases)} policies with known verdicts ({tally['invalid']} invalid, {tally['valid']} valid)\n")
    print("| tool | invalid caught | false alarms on valid |")
    print("|---|---|---|")
    print(f"| Sluice (errors) | {tally['sluice_caught']} / {tally['invalid']} | {tally['sluice_false']} / {tally['valid']} |")
    print(f"| Parliament {parliament_version()} (any finding) | {tally['parl_caught']} / {tally['invalid']} | {tally['parl_false']} / {tally['valid']} |")
    print(f"| Parliament (MEDIUM or worse) | {tally['parl_serious_caught']} / {tally['invalid']} | {tally['parl_serious_false']} / {tally['valid']} |")
    if verbose:
        print("\n| case | verdict | Sluice errors | Parliament findings |\n|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    return tally


def parliament_version():
    try:
        from importlib.metadata import version
        return version("parliament")
    except Exception:  # noqa: BLE001
        return "?"


def services_of(text):
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    sts = doc.get("Statement", [])
    sts = sts if isinstance(sts, list) else [sts]
    found = set()
    for st in sts:
        if not isinstance(st, dict):
            continue
        acts = st.get("Action", st.get("NotAction", []))
        acts = acts if isinstance(acts, list) else [acts]
        for a in acts:
            if isinstance(a, str) and ":" in a:
                found.add(a.split(":", 1)[0].lower())
    return found


def parliament_cases(test_dir):
    """Runs Parliament's unit tests with analyze_policy_string recorded."""
    recorded = []

    def recording(policy_str, *args, **kwargs):
        policy = analyze_policy_string(policy_str, *args, **kwargs)
        recorded.append((current[0], policy_str, sorted({f.issue for f in policy.findings})))
        return policy

    current = [""]
    for path in sorted(pathlib.Path(test_dir).glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"ptest_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as e:  # noqa: BLE001
            print(f"skipped {path.name}: {e}", file=sys.stderr)
            continue
        if hasattr(module, "analyze_policy_string"):
            module.analyze_policy_string = recording
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__name__.startswith("Test"):
                continue
            for name, fn in inspect.getmembers(cls, inspect.isfunction):
                if not name.startswith("test"):
                    continue
                current[0] = f"{path.stem}.{name}"
                try:
                    fn(cls())
                except Exception:  # noqa: BLE001 (a failing test still recorded its policies)
                    pass
    return recorded


def parliament_table(binary, test_dir, verbose):
    cases = [c for c in parliament_cases(test_dir) if (s := services_of(c[1])) and s <= SERVICES]
    both = only_p = only_s = neither = 0
    rows = []
    warned = 0
    for test, text, p_ids in cases:
        report = sluice_report(binary, text)
        s_err = sorted({f["code"] for f in report["findings"] if f["severity"] == "error"})
        s_warn = sorted({f["code"] for f in report["findings"] if f["severity"] == "warning"})
        warned += bool(p_ids) and not s_err and bool(s_warn)
        p_flag, s_flag = bool(p_ids), bool(s_err)
        both += p_flag and s_flag
        only_p += p_flag and not s_flag
        only_s += s_flag and not p_flag
        neither += not p_flag and not s_flag
        rows.append((test, ",".join(p_ids) or "-", ",".join(s_err) or "-", ",".join(s_warn) or "-"))
    print(f"\n## Parliament's own unit tests: {len(cases)} policies using only {', '.join(sorted(SERVICES))}\n")
    print("| | Parliament flags | Parliament clean |\n|---|---|---|")
    print(f"| Sluice errors | {both} | {only_s} |")
    print(f"| Sluice no error | {only_p} | {neither} |")
    print(f"\nOf the {only_p} Parliament flags without a Sluice error, Sluice warns on {warned}.")
    if verbose:
        print("\n| test | Parliament findings | Sluice errors | Sluice warnings |\n|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sluice", required=True)
    ap.add_argument("--parliament-tests")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    corpus_table(a.sluice, a.verbose)
    if a.parliament_tests:
        parliament_table(a.sluice, a.parliament_tests, a.verbose)


if __name__ == "__main__":
    main()

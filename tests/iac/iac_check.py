#!/usr/bin/env python3
"""Reads the Terraform and CloudFormation code Sluice exports and checks it against AWS.

Used by the IaC suites (src-tauri/crates/sluice-cli/tests/iac_destination.rs, iac_policies.rs), run with the project's
venv (python-hcl2, PyYAML, boto3 from moto's requirements):

  iac_check.py destination --endpoint URL --bucket B --user U --tf F.tf --cfn F.yaml
                            --cfn-import I.yaml
      resolves both files (variables to their defaults, references to what they name),
      reads what `sluice sink apply` made on the emulator, and compares field by field.
  iac_check.py deploy --endpoint URL --reference URL --template F.yaml --bucket B --user U
      deploys the template into a fresh emulator and compares what it created with what
      `sluice sink apply` made on the reference emulator; names what moto cannot create.
  iac_check.py policy --json F.json --tf F.tf --cfn F.yaml [--external-id V]
      compares the policy document in both files with the JSON Sluice applies.

Prints one line per field ("same …" or "DIFF …") and exits 1 when anything differs.
"""


import argparse
import json
import re
import sys

import boto3

from readers import CloudFormation, Terraform, norm_policy, unquote


# ---------------------------------------------------------------- the destination model

def model_from_terraform(tf):
    r = tf.resource
    pab = r("aws_s3_bucket_public_access_block", "destination")
    sse = r("aws_s3_bucket_server_side_encryption_configuration", "destination")["rule"][0]
    default = sse["apply_server_side_encryption_by_default"][0]
    user = r("aws_iam_user", "writer")
    policy = r("aws_iam_user_policy", "writer")
    bucket_policy = r("aws_s3_bucket_policy", "tls_only")
    return {
        "bucket.name": tf.value(r("aws_s3_bucket", "destination")["bucket"]),
        "bucket.public_access_block": {k: tf.value(pab[k]) for k in (
            "block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")},
        "bucket.ownership": tf.value(r("aws_s3_bucket_ownership_controls", "destination")["rule"][0]["object_ownership"]),
        "bucket.encryption": {
            "algorithm": tf.value(default["sse_algorithm"]),
            "kms_key": tf.value(default["kms_master_key_id"]) if "kms_master_key_id" in default else None,
            "bucket_key": tf.value(sse.get("bucket_key_enabled", False)),
        },
        "bucket.policy": norm_policy(tf.value(bucket_policy["policy"])) if bucket_policy else None,
        "user.name": tf.value(user["name"]),
        "user.path": tf.value(user["path"]),
        "user.tags": tf.value(user["tags"]),
        "user.policy_name": tf.value(policy["name"]),
        "user.policy": norm_policy(tf.value(policy["policy"])),
        "user.access_key": r("aws_iam_access_key", "writer") is not None,
    }


def model_from_cloudformation(cf):
    (_, bucket), = cf.of_type("AWS::S3::Bucket")
    b = cf.value(bucket["Properties"])
    rule = b["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    pab = b["PublicAccessBlockConfiguration"]
    (_, user), = cf.of_type("AWS::IAM::User")
    u = cf.value(user["Properties"])
    (_, policy), = cf.of_type("AWS::IAM::UserPolicy")
    p = cf.value(policy["Properties"])
    bucket_policies = cf.of_type("AWS::S3::BucketPolicy")
    return {
        "bucket.name": b["BucketName"],
        "bucket.public_access_block": {
            "block_public_acls": pab["BlockPublicAcls"], "ignore_public_acls": pab["IgnorePublicAcls"],
            "block_public_policy": pab["BlockPublicPolicy"], "restrict_public_buckets": pab["RestrictPublicBuckets"]},
        "bucket.ownership": b["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        "bucket.encryption": {
            "algorithm": rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "kms_key": rule["ServerSideEncryptionByDefault"].get("KMSMasterKeyID"),
            "bucket_key": rule.get("BucketKeyEnabled", False),
        },
        "bucket.policy": norm_policy(cf.value(bucket_policies[0][1]["Properties"]["PolicyDocument"]))
        if bucket_policies else None,
        "user.name": u["UserName"],
        "user.path": u["Path"],
        "user.tags": {t["Key"]: t["Value"] for t in u.get("Tags", [])},
        "user.policy_name": p["PolicyName"],
        "user.policy": norm_policy(p["PolicyDocument"]),
        "user.access_key": bool(cf.of_type("AWS::IAM::AccessKey")),
    }


def clients(endpoint, region="us-east-1"):
    kw = dict(endpoint_url=endpoint, region_name=region,
              aws_access_key_id="testing", aws_secret_access_key="testing")
    return boto3.client("s3", **kw), boto3.client("iam", **kw)


def missing(call, code):
    try:
        return call()
    except Exception as e:  # botocore ClientError
        if code in str(e):
            return None
        raise


def model_from_aws(endpoint, bucket, user):
    s3, iam = clients(endpoint)
    enc = missing(lambda: s3.get_bucket_encryption(Bucket=bucket), "ServerSideEncryptionConfigurationNotFound")
    rule = enc["ServerSideEncryptionConfiguration"]["Rules"][0] if enc else {}
    default = rule.get("ApplyServerSideEncryptionByDefault", {})
    pab = missing(lambda: s3.get_public_access_block(Bucket=bucket), "NoSuchPublicAccessBlockConfiguration")
    own = missing(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), "OwnershipControlsNotFound")
    pol = missing(lambda: s3.get_bucket_policy(Bucket=bucket), "NoSuchBucketPolicy")
    u = iam.get_user(UserName=user)["User"]
    tags = {t["Key"]: t["Value"] for t in iam.list_user_tags(UserName=user)["Tags"]}
    names = iam.list_user_policies(UserName=user)["PolicyNames"]
    doc = iam.get_user_policy(UserName=user, PolicyName=names[0])["PolicyDocument"] if names else None
    keys = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    c = pab["PublicAccessBlockConfiguration"] if pab else {}
    return {
        "bucket.name": bucket if s3.head_bucket(Bucket=bucket) else None,
        "bucket.public_access_block": {
            "block_public_acls": c.get("BlockPublicAcls"), "ignore_public_acls": c.get("IgnorePublicAcls"),
            "block_public_policy": c.get("BlockPublicPolicy"), "restrict_public_buckets": c.get("RestrictPublicBuckets")},
        "bucket.ownership": own["OwnershipControls"]["Rules"][0]["ObjectOwnership"] if own else None,
        "bucket.encryption": {
            "algorithm": default.get("SSEAlgorithm"),
            "kms_key": default.get("KMSMasterKeyID"),
            "bucket_key": rule.get("BucketKeyEnabled", False),
        },
        "bucket.policy": norm_policy(pol["Policy"]) if pol else None,
        "user.name": u["UserName"],
        "user.path": u["Path"],
        "user.tags": tags,
        "user.policy_name": names[0] if names else None,
        "user.policy": norm_policy(doc) if doc else None,
        "user.access_key": bool(keys),
    }


def compare(label_a, a, label_b, b, fields=None):
    same = True
    for field in fields or a:
        if a.get(field) == b.get(field):
            print(f"same {field}")
        else:
            same = False
            print(f"DIFF {field}\n  {label_a}: {json.dumps(a.get(field), sort_keys=True)}\n"
                  f"  {label_b}: {json.dumps(b.get(field), sort_keys=True)}")
    return same


# ---------------------------------------------------------------- commands

def check_imports(tf, endpoint, bucket, user):
    """Each Terraform import block names something that exists, and every resource has one."""
    s3, iam = clients(endpoint)
    ids = {"aws_s3_bucket_policy": lambda i: s3.get_bucket_policy(Bucket=i),
           "aws_iam_user": lambda i: iam.get_user(UserName=i),
           "aws_iam_user_policy": lambda i: iam.get_user_policy(UserName=i.split(":")[0],
                                                               PolicyName=i.split(":", 1)[1]),
           "aws_iam_access_key": lambda i: next(k for k in iam.list_access_keys(UserName=user)[
               "AccessKeyMetadata"] if k["AccessKeyId"] == i)}
    ok, imported = True, set()
    for block in tf.raw.get("import", []):
        to = block["to"].removeprefix("${").removesuffix("}")
        ident = unquote(block["id"])
        rtype = to.split(".")[0]
        imported.add(tuple(to.split(".")))
        try:
            if rtype.startswith("aws_s3_bucket") and rtype != "aws_s3_bucket_policy":
                assert ident == bucket
                s3.head_bucket(Bucket=ident)
            else:
                ids[rtype](ident)
            print(f"same import {to}")
        except Exception as e:  # missing in AWS, or the wrong id
            ok = False
            print(f"DIFF import {to} = {ident!r}: {e}")
    resources = set(tf.resources)
    if imported != resources:
        ok = False
        print(f"DIFF imports {sorted(imported)} and resources {sorted(resources)}")
    else:
        print("same imports cover every resource")
    return ok


def check_import_ids(cf_path, cf):
    """The CloudFormation resource-import identifiers (comments) name resources of the template."""
    with open(cf_path) as f:
        logical = re.findall(r'"LogicalResourceId": "(\w+)"', f.read())
    ok = bool(logical) and all(name in cf.resources for name in logical)
    print(("same" if ok else "DIFF") + f" cloudformation import identifiers {logical}")
    return ok


def cmd_destination(a):
    aws = model_from_aws(a.endpoint, a.bucket, a.user)
    ok = check_imports(Terraform(a.tf), a.endpoint, a.bucket, a.user)
    adopting = CloudFormation(a.cfn_import)
    ok &= check_import_ids(a.cfn_import, adopting)
    # The import template is the same template without what CloudFormation cannot import.
    print("# the cloudformation import template against the full one")
    full = model_from_cloudformation(CloudFormation(a.cfn))
    ok &= compare("import", model_from_cloudformation(adopting), "full", full,
                  [f for f in full if f != "user.access_key"])
    for label, code in (("terraform", model_from_terraform(Terraform(a.tf))),
                        ("cloudformation", model_from_cloudformation(CloudFormation(a.cfn)))):
        print(f"# {label} against what sluice sink apply made")
        ok &= compare(label, code, "aws", aws)
    return ok


# What moto 5.2 creates from a template, and what it silently drops.
CREATED_BY_MOTO = ["bucket.name", "bucket.encryption", "user.name", "user.path", "user.access_key"]
DROPPED_BY_MOTO = ["bucket.public_access_block", "bucket.ownership", "bucket.policy",
                   "the bucket key (BucketKeyEnabled)", "user.tags", "user.policy_name",
                   "user.policy", "Secrets Manager secret"]


def without_bucket_key(model):
    model["bucket.encryption"].pop("bucket_key", None)
    return model


def cmd_deploy(a):
    kw = dict(endpoint_url=a.endpoint, region_name="us-east-1",
              aws_access_key_id="testing", aws_secret_access_key="testing")
    cf = boto3.client("cloudformation", **kw)
    with open(a.template) as f:
        cf.create_stack(StackName=f"sluice-{a.bucket}", TemplateBody=f.read())
    stack = cf.describe_stacks(StackName=f"sluice-{a.bucket}")["Stacks"][0]
    print(f"stack {stack['StackStatus']}")
    if stack["StackStatus"] != "CREATE_COMPLETE":
        return False
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    keys = boto3.client("iam", **kw).list_access_keys(UserName=a.user)["AccessKeyMetadata"]
    if outputs.get("AccessKeyId") != keys[0]["AccessKeyId"]:
        print(f"DIFF output AccessKeyId {outputs.get('AccessKeyId')} is not the user's key")
        return False
    print("same output AccessKeyId")
    deployed = without_bucket_key(model_from_aws(a.endpoint, a.bucket, a.user))
    reference = without_bucket_key(model_from_aws(a.reference, a.bucket, a.user))
    ok = compare("deployed", deployed, "sluice", reference, CREATED_BY_MOTO)
    print("not checked (moto does not create them from a template): " + ", ".join(DROPPED_BY_MOTO))
    return ok


def cmd_policy(a):
    with open(a.json) as f:
        want = norm_policy(f.read())
    overrides = {"external_id": a.external_id} if a.external_id else {}
    tf = Terraform(a.tf, overrides)
    name, = [k[1] for k in tf.data if k[0] == "aws_iam_policy_document"]
    cf = CloudFormation(a.cfn, {"ExternalId": a.external_id} if a.external_id else {})
    (_, res), = cf.resources.items()
    props = res["Properties"]
    doc = props.get("PolicyDocument") or props.get("AssumeRolePolicyDocument")
    ok = True
    for label, got in (("terraform", norm_policy(tf.policy_document(name))),
                       ("cloudformation", norm_policy(cf.value(doc)))):
        ok &= compare(label, {"policy": got}, "sluice", {"policy": want})
    return ok


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("destination")
    for k in ("endpoint", "bucket", "user", "tf", "cfn", "cfn-import"):
        d.add_argument("--" + k, required=True)
    dep = sub.add_parser("deploy")
    for k in ("endpoint", "reference", "template", "bucket", "user"):
        dep.add_argument("--" + k, required=True)
    pol = sub.add_parser("policy")
    for k in ("json", "tf", "cfn"):
        pol.add_argument("--" + k, required=True)
    pol.add_argument("--external-id")
    a = p.parse_args()
    ok = {"destination": cmd_destination, "deploy": cmd_deploy, "policy": cmd_policy}[a.cmd](a)
    print("all fields agree" if ok else "the code and AWS differ")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reads the Terraform and CloudFormation code Sluice exports and checks it against AWS.

Used by the IaC suite (src-tauri/crates/sluice-cli/tests/iac.rs), run with the project's
venv (python-hcl2, PyYAML, boto3 from moto's requirements):

  iac_check.py destination --endpoint URL --bucket B --user U --tf F.tf --cfn F.yaml
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
import hcl2
import yaml


# ---------------------------------------------------------------- policies, normalised

def as_list(v):
    if v is None:
        return []
    return sorted(v) if isinstance(v, list) else [v]


def norm_principal(p):
    if p == "*" or p == {"*": ["*"]}:
        return "*"
    return {k: as_list(v) for k, v in sorted(p.items())}


def norm_policy(doc):
    """An IAM policy as sorted statements of sorted lists (IAM's one-or-many removed)."""
    if isinstance(doc, str):
        doc = json.loads(doc)
    out = []
    for st in as_list_keep(doc.get("Statement")):
        n = {"Sid": st.get("Sid", ""), "Effect": st["Effect"]}
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in st:
                n[key] = as_list(st[key])
        for key in ("Principal", "NotPrincipal"):
            if key in st:
                n[key] = norm_principal(st[key])
        if st.get("Condition"):
            n["Condition"] = {
                op: {k: as_list(v) for k, v in keys.items()}
                for op, keys in st["Condition"].items()
            }
        out.append(n)
    return {"Version": doc.get("Version"), "Statement": sorted(out, key=lambda s: s["Sid"])}


def as_list_keep(v):
    return v if isinstance(v, list) else [v]


# ---------------------------------------------------------------- Terraform

class Terraform:
    """A Terraform file as python-hcl2 reads it, with just enough evaluation for our code."""

    def __init__(self, path, overrides=None):
        with open(path) as f:
            self.raw = hcl2.load(f)
        self.vars = {}
        for block in self.raw.get("variable", []):
            for name, body in block.items():
                name = unquote(name)
                if "default" in body:
                    self.vars[name] = unquote(body["default"])
        self.vars.update(overrides or {})
        self.locals = {}
        for block in self.raw.get("locals", []):
            for name, value in block.items():
                if not name.startswith("__"):
                    self.locals[name] = value
        self.resources = self._blocks("resource")
        self.data = self._blocks("data")

    def _blocks(self, kind):
        found = {}
        for block in self.raw.get(kind, []):
            for rtype, named in block.items():
                for name, body in named.items():
                    found[(unquote(rtype), unquote(name))] = body
        return found

    def resource(self, rtype, name):
        return self.resources.get((rtype, name))

    def value(self, v):
        """A literal, a quoted template or a bare expression, evaluated."""
        if isinstance(v, bool) or v is None or isinstance(v, (int, float)):
            return v
        if isinstance(v, list):
            return [self.value(i) for i in v]
        if isinstance(v, dict):
            return {unquote(k): self.value(x) for k, x in v.items() if not k.startswith("__")}
        if v.startswith('"') and v.endswith('"'):
            return self.template(v[1:-1])
        if v.startswith("${") and v.endswith("}"):
            return self.expr(v[2:-1])
        return v

    def template(self, body):
        out, i = [], 0
        while i < len(body):
            if body.startswith("$${", i):
                out.append("${")
                i += 3
            elif body.startswith("%%{", i):
                out.append("%{")
                i += 3
            elif body.startswith("${", i):
                end = matching_brace(body, i + 1)
                out.append(str(self.expr(body[i + 2:end])))
                i = end + 1
            elif body[i] == "\\":
                out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[body[i + 1]])
                i += 2
            else:
                out.append(body[i])
                i += 1
        return "".join(out)

    def expr(self, e):
        e = e.strip()
        m = re.fullmatch(r'(.+?) == "" \? "" : "(.*)"', e)
        if m:
            return "" if self.expr(m.group(1)) == "" else self.template(m.group(2))
        if e in ("true", "false"):
            return e == "true"
        parts = e.split(".")
        if parts[0] == "var":
            return self.vars[parts[1]]
        if parts[0] == "local":
            return self.value(self.locals[parts[1]])
        if parts[0] == "data" and parts[1] == "aws_iam_policy_document" and parts[3] == "json":
            return self.policy_document(parts[2])
        if len(parts) == 3:
            body = self.resource(parts[0], parts[1])
            attr = {"id": "bucket", "name": "name"}.get(parts[2], parts[2])
            if parts[0] == "aws_s3_bucket" and attr == "bucket":
                return self.value(body["bucket"])
            return self.value(body[attr])
        raise ValueError(f"cannot evaluate {e!r}")

    def policy_document(self, name):
        body = self.data[("aws_iam_policy_document", name)]
        statements = []
        for st in body.get("statement", []):
            s = {"Sid": self.value(st.get("sid", '""')), "Effect": self.value(st.get("effect", '"Allow"'))}
            for tf_key, key in (("actions", "Action"), ("not_actions", "NotAction"),
                                ("resources", "Resource"), ("not_resources", "NotResource")):
                if tf_key in st:
                    s[key] = self.value(st[tf_key])
            for tf_key, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                for p in st.get(tf_key, []):
                    ptype, ids = self.value(p["type"]), self.value(p["identifiers"])
                    if ptype == "*":
                        s[key] = "*"
                    else:
                        s.setdefault(key, {})[ptype] = ids
            for c in st.get("condition", []):
                s.setdefault("Condition", {}).setdefault(self.value(c["test"]), {})[
                    self.value(c["variable"])] = self.value(c["values"])
            statements.append(s)
        return json.dumps({"Version": self.value(body.get("version", '"2012-10-17"')),
                           "Statement": statements})


def unquote(s):
    if isinstance(s, str) and len(s) >= 2 and s.startswith('"') and s.endswith('"'):
        return s[1:-1]
    return s


def matching_brace(text, open_at):
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced braces in {text!r}")


# ---------------------------------------------------------------- CloudFormation

class CloudFormation:
    def __init__(self, path, overrides=None):
        with open(path) as f:
            self.raw = yaml.safe_load(f)
        self.params = {k: v.get("Default", "") for k, v in self.raw.get("Parameters", {}).items()}
        self.params.update(overrides or {})
        self.params.setdefault("AWS::Region", self.params.get("Region", "us-east-1"))
        self.resources = self.raw["Resources"]

    def value(self, v, local=None):
        local = local or {}
        if isinstance(v, list):
            return [self.value(i, local) for i in v]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (fn, arg), = v.items()
            if fn == "Ref":
                return self.ref(arg)
            if fn == "Fn::Sub":
                text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                names = {k: self.value(x) for k, x in names.items()}
                return self.sub(text, names)
            if fn == "Fn::If":
                cond, yes, no = arg
                return self.value(yes if self.condition(cond) else no)
            if fn == "Fn::GetAtt":
                raise ValueError(f"GetAtt {arg} has no value before deployment")
        return {k: self.value(x, local) for k, x in v.items()}

    def ref(self, name):
        if name in self.params:
            return self.params[name]
        props = self.resources[name]["Properties"]
        for key in ("BucketName", "UserName", "RoleName"):
            if key in props:
                return self.value(props[key])
        raise ValueError(f"Ref {name} has no name before deployment")

    def sub(self, text, names):
        def one(m):
            inner = m.group(1)
            if inner.startswith("!"):
                return "${" + inner[1:] + "}"
            if inner in names:
                return str(names[inner])
            return str(self.ref(inner))
        return re.sub(r"\$\{([^}]*)\}", one, text)

    def condition(self, name):
        return self.truth(self.raw["Conditions"][name])

    def truth(self, c):
        (fn, arg), = c.items()
        if fn == "Fn::Not":
            return not self.truth(arg[0])
        if fn == "Fn::Equals":
            return self.value(arg[0]) == self.value(arg[1])
        raise ValueError(fn)

    def of_type(self, rtype):
        return [(k, r) for k, r in self.resources.items() if r["Type"] == rtype]


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
    ok &= check_import_ids(a.cfn, CloudFormation(a.cfn))
    for label, code in (("terraform", model_from_terraform(Terraform(a.tf))),
                        ("cloudformation", model_from_cloudformation(CloudFormation(a.cfn)))):
        print(f"# {label} against what sluice sink apply made")
        ok &= compare(label, code, "aws", aws)
    return ok


# What moto 5.2 creates from a template, and what it silently drops.
CREATED_BY_MOTO = ["bucket.name", "bucket.encryption", "user.name", "user.path", "user.access_key"]
DROPPED_BY_MOTO = ["bucket.public_access_block", "bucket.ownership", "bucket.policy",
                   "user.tags", "user.policy_name", "user.policy", "Secrets Manager secret"]


def cmd_deploy(a):
    kw = dict(endpoint_url=a.endpoint, region_name="us-east-1",
              aws_access_key_id="testing", aws_secret_access_key="testing")
    cf = boto3.client("cloudformation", **kw)
    with open(a.template) as f:
        cf.create_stack(StackName="sluice-destination", TemplateBody=f.read())
    stack = cf.describe_stacks(StackName="sluice-destination")["Stacks"][0]
    print(f"stack {stack['StackStatus']}")
    if stack["StackStatus"] != "CREATE_COMPLETE":
        return False
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    keys = boto3.client("iam", **kw).list_access_keys(UserName=a.user)["AccessKeyMetadata"]
    if outputs.get("AccessKeyId") != keys[0]["AccessKeyId"]:
        print(f"DIFF output AccessKeyId {outputs.get('AccessKeyId')} is not the user's key")
        return False
    print("same output AccessKeyId")
    deployed = model_from_aws(a.endpoint, a.bucket, a.user)
    reference = model_from_aws(a.reference, a.bucket, a.user)
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
    for k in ("endpoint", "bucket", "user", "tf", "cfn"):
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

"""Terraform and CloudFormation as Sluice writes them, read back into plain values.

python-hcl2 parses the HCL and PyYAML the YAML; this module evaluates just enough of each
(variables and parameters to their defaults, references to what they name, Fn::Sub, Fn::If,
the key-prefix conditional) to compare the code with AWS. Used by iac_check.py.
"""

import json
import re

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

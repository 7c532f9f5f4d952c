"""A local stand-in for IAM Identity Center, for Sluice's end-to-end tests.

It answers the two APIs the real aws-sdk-ssooidc and aws-sdk-sso clients call, on the
paths and in the JSON shapes of their service models:

- SSO OIDC: POST /client/register, /device_authorization, /token (device code and
  refresh token grants; AuthorizationPending, SlowDown, ExpiredToken, AccessDenied);
- the portal: GET /assignment/accounts, /assignment/roles, /federation/credentials,
  POST /logout, each with the bearer token in `x-amz-sso_bearer_token`.

The start URL chooses how the device code behaves, so one server serves every test:
`.../expire` expires, `.../deny` is denied, `.../quick` is approved on the second poll,
anything else answers pending, then slow_down, then approves. A start URL containing
`short` gets access tokens that live 60 seconds (so Sluice refreshes them). Only the
latest tokens are valid: a refresh revokes the access token it replaces, Logout the
sign-in's. Role credentials are the IAM user keys given in SSO_STANDIN_KEY_ID and
SSO_STANDIN_SECRET (made in moto by the test). GET /_stats counts what was asked.

Usage: python standin.py PORT
"""

import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
import os

LOCK = threading.Lock()
CLIENTS = {}  # client id -> secret
DEVICES = {}  # device code -> {"start_url", "polls", "expires"}
ACCESS = {}  # access token -> start url
REFRESH = {}  # refresh token -> (start url, access token)
STATS = {"register": 0, "device": 0, "token": 0, "refresh": 0, "logout": 0, "credentials": 0}
ACCOUNTS = [
    {"accountId": "111122223333", "accountName": "Telemetry", "emailAddress": "ops@example.com"},
    {"accountId": "444455556666", "accountName": "Sandbox", "emailAddress": "dev@example.com"},
]
ROLES = {"111122223333": ["DataReader", "ReadOnly"], "444455556666": ["Admin"]}


def scenario(start_url):
    if start_url.endswith("/expire"):
        return ["ExpiredTokenException"]
    if start_url.endswith("/deny"):
        return ["AuthorizationPendingException", "AccessDeniedException"]
    if start_url.endswith("/quick"):
        return ["AuthorizationPendingException", None]
    return ["AuthorizationPendingException", "SlowDownException", None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, error=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if error:
            self.send_header("x-amzn-errortype", error)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def fail(self, status, error, message):
        self.reply(status, {"error": error, "error_description": message, "message": message}, error)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def bearer(self):
        token = self.headers.get("x-amz-sso_bearer_token", "")
        with LOCK:
            if token in ACCESS:
                return ACCESS[token]
        self.fail(401, "UnauthorizedException", "Session token not found or invalid")
        return None

    def issue(self, start_url, old_access=None):
        access = "standin-access-" + secrets.token_hex(16)
        refresh = "standin-refresh-" + secrets.token_hex(16)
        ACCESS.pop(old_access, None)
        ACCESS[access] = start_url
        REFRESH[refresh] = (start_url, access)
        return {
            "accessToken": access,
            "tokenType": "Bearer",
            "expiresIn": 60 if "short" in start_url else 3600,
            "refreshToken": refresh,
        }

    def do_POST(self):
        path = urlparse(self.path).path
        if path == "/client/register":
            self.body()
            client_id = "standin-client-" + secrets.token_hex(8)
            secret = "standin-client-secret-" + secrets.token_hex(16)
            with LOCK:
                STATS["register"] += 1
                CLIENTS[client_id] = secret
            now = int(time.time())
            return self.reply(200, {
                "clientId": client_id,
                "clientSecret": secret,
                "clientIdIssuedAt": now,
                "clientSecretExpiresAt": now + 90 * 24 * 3600,
            })
        if path == "/device_authorization":
            req = self.body()
            with LOCK:
                if CLIENTS.get(req.get("clientId")) != req.get("clientSecret"):
                    return self.fail(400, "InvalidClientException", "unknown client")
                STATS["device"] += 1
                code = "standin-device-" + secrets.token_hex(16)
                DEVICES[code] = {"start_url": req.get("startUrl", ""), "polls": 0}
            host = self.headers.get("Host")
            user = "ABCD-" + secrets.token_hex(2).upper()
            return self.reply(200, {
                "deviceCode": code,
                "userCode": user,
                "verificationUri": f"http://{host}/device",
                "verificationUriComplete": f"http://{host}/device?user_code={user}",
                "expiresIn": 600,
                "interval": 1,
            })
        if path == "/token":
            req = self.body()
            with LOCK:
                if CLIENTS.get(req.get("clientId")) != req.get("clientSecret"):
                    return self.fail(400, "InvalidClientException", "unknown client")
                if req.get("grantType") == "refresh_token":
                    STATS["refresh"] += 1
                    found = REFRESH.pop(req.get("refreshToken"), None)
                    if not found:
                        return self.fail(400, "InvalidGrantException", "refresh token not valid")
                    return self.reply(200, self.issue(found[0], found[1]))
                STATS["token"] += 1
                device = DEVICES.get(req.get("deviceCode"))
                if device is None:
                    return self.fail(400, "InvalidGrantException", "unknown device code")
                steps = scenario(device["start_url"])
                step = steps[min(device["polls"], len(steps) - 1)]
                device["polls"] += 1
                if step is None:
                    DEVICES.pop(req.get("deviceCode"), None)
                    return self.reply(200, self.issue(device["start_url"]))
                return self.fail(400, step, step)
        if path == "/logout":
            start_url = self.bearer()
            if start_url is None:
                return
            with LOCK:
                STATS["logout"] += 1
                for token in [t for t, u in ACCESS.items() if u == start_url]:
                    ACCESS.pop(token)
                for token in [t for t, (u, _) in REFRESH.items() if u == start_url]:
                    REFRESH.pop(token)
            return self.reply(200)
        self.fail(404, "ResourceNotFoundException", path)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/_stats":
            with LOCK:
                return self.reply(200, dict(STATS))
        if url.path == "/device":
            return self.reply(200, {"page": "the sign-in page"})
        if self.bearer() is None:
            return
        start = int(query.get("next_token") or 0)
        if url.path == "/assignment/accounts":
            # One account per page, so paging is exercised.
            page = ACCOUNTS[start:start + 1]
            nxt = str(start + 1) if start + 1 < len(ACCOUNTS) else None
            return self.reply(200, {"accountList": page, "nextToken": nxt})
        if url.path == "/assignment/roles":
            roles = ROLES.get(query.get("account_id"), [])
            page = [{"roleName": r, "accountId": query.get("account_id")} for r in roles[start:start + 1]]
            nxt = str(start + 1) if start + 1 < len(roles) else None
            return self.reply(200, {"roleList": page, "nextToken": nxt})
        if url.path == "/federation/credentials":
            if query.get("role_name") not in ROLES.get(query.get("account_id"), []):
                return self.fail(403, "ForbiddenException", "No access")
            with LOCK:
                STATS["credentials"] += 1
            return self.reply(200, {"roleCredentials": {
                "accessKeyId": os.environ.get("SSO_STANDIN_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
                "secretAccessKey": os.environ.get("SSO_STANDIN_SECRET", "standin-secret"),
                "sessionToken": "standin-session-" + secrets.token_hex(8),
                "expiration": int((time.time() + 3600) * 1000),
            }})
        self.fail(404, "ResourceNotFoundException", url.path)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.serve_forever()

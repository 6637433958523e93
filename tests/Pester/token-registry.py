#!/usr/bin/env python3
"""A minimal registry v2 that serves one OCI layout behind Docker's token auth, for the image tests.

GET /v2/... answers 401 with a Bearer challenge; GET /token trades Basic credentials for a token; blobs
are redirected to /external/<digest>, which must be fetched without the token (as from a CDN). Every
request is logged (method, path, what Authorization it carried) to the log file, one JSON line each.
Usage: token-registry.py LAYOUT USER PASSWORD PORT_FILE LOG_FILE
"""
import base64, json, os, re, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

layout, user, password, port_file, log_file = sys.argv[1:6]
TOKEN = "podshell-test-token"

def blob(digest):
    algorithm, hexpart = digest.split(":", 1)
    path = os.path.join(layout, "blobs", algorithm, hexpart)
    return path if re.fullmatch(r"[a-f0-9]{64}", hexpart) and os.path.isfile(path) else None

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self, note=""):
        auth = self.headers.get("Authorization") or ""
        with open(log_file, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "auth": auth.split(" ")[0], "note": note}) + "\n")

    def send(self, code, body=b"", headers=None):
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def challenge(self, repository):
        realm = "http://127.0.0.1:%d/token" % self.server.server_port
        scope = ',scope="repository:%s:pull"' % repository if repository else ""
        self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}', {"WWW-Authenticate": 'Bearer realm="%s",service="podshell-test"%s' % (realm, scope)})

    def do_GET(self):
        self.record()
        if self.path.startswith("/token"):
            expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.send(401, b'{"details":"bad credentials"}')
            return self.send(200, json.dumps({"token": TOKEN, "expires_in": 300}).encode(), {"Content-Type": "application/json"})
        if self.path.startswith("/external/"):
            if self.headers.get("Authorization"):
                self.record("credentials leaked to the redirect target")
                return self.send(400, b"credentials leaked")
            path = blob(self.path[len("/external/"):])
            return self.send(200, open(path, "rb").read()) if path else self.send(404)
        match = re.fullmatch(r"/v2/(?:(.+)/(manifests|blobs)/(.+))?", self.path.split("?")[0])
        if not match:
            return self.send(404)
        repository, kind, reference = match.groups()
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.challenge(repository)
        if kind is None:
            return self.send(200, b"{}")
        if kind == "blobs":
            return self.send(307, b"", {"Location": "http://127.0.0.1:%d/external/%s" % (self.server.server_port, reference)})
        index = json.load(open(os.path.join(layout, "index.json")))
        descriptor = next((m for m in index["manifests"] if m["digest"] == reference
                           or m.get("annotations", {}).get("org.opencontainers.image.ref.name") == reference), None)
        path = blob(descriptor["digest"]) if descriptor else None
        if not path:
            return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
        self.send(200, open(path, "rb").read(), {"Content-Type": descriptor["mediaType"], "Docker-Content-Digest": descriptor["digest"]})

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()

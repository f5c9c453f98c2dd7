"""An LTI 1.3 tool that only speaks OIDC: Flask and Authlib against a Keycloak realm with keycloak-lti."""
import json
import os
import secrets
from datetime import datetime, timezone

import requests
from authlib.integrations.flask_client import OAuth
from authlib.integrations.requests_client import OAuth2Session
from flask import Flask, abort, redirect, render_template_string, request, session, url_for

REALM_URL = f"{os.environ['KEYCLOAK_URL']}/realms/{os.environ['REALM']}"
CLIENT_ID, CLIENT_SECRET = os.environ["CLIENT_ID"], os.environ["CLIENT_SECRET"]
LTI = "https://purl.imsglobal.org/spec/lti/claim/"

app = Flask(__name__)
app.secret_key = secrets.token_hex(32)  # Flask's signed session cookie holds the login in progress
oauth = OAuth(app)
keycloak = oauth.register("keycloak", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                          server_metadata_url=f"{REALM_URL}/.well-known/openid-configuration",
                          client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"})
metadata = keycloak.load_server_metadata()  # fails at start when Keycloak is not there
LAUNCHES = {}  # the launch of each browser session, server-side (tokens do not fit in a cookie): a sample

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sample tool</title></head><body>
{% if picker %}<h1>Pick content for {{ c[lti + 'context'].title }}</h1>
<form id="picker" method="post" action="/deep-link">
{% for title in ['Chapter 1 quiz', 'Chapter 2 quiz'] %}<button name="title" value="{{ title }}">{{ title }}</button>
{% endfor %}</form>
{% else %}<h1>Welcome, <span id="user">{{ c.name or c.preferred_username }}</span></h1><dl>
<dt>Course</dt><dd id="course">{{ (c[lti + 'context'] or {}).title }}</dd>
<dt>Roles</dt><dd id="roles">{{ roles | join(' ') }}</dd>
<dt>Resource link</dt><dd id="resource-link">{{ (c[lti + 'resource_link'] or {}).title }}</dd>
<dt>Custom</dt><dd id="custom">{{ custom }}</dd></dl>
{% if roster %}<h2>Roster</h2><table id="roster">{% for m in roster %}<tr><td class="user-id">{{ m.user_id }}</td>
<td>{{ m.name }}</td><td>{{ m.roles | join(' ') }}</td><td>{% if is_learner(m) %}
<form method="post" action="/score"><input type="hidden" name="user_id" value="{{ m.user_id }}">
<button>Post a score (7/10)</button></form>{% endif %}</td></tr>{% endfor %}</table>{% endif %}{% endif %}
</body></html>"""


@app.get("/launch")
def launch():
    """The launch URL (the target_link_uri): a NEW authorization request on every visit, login_hint passed on."""
    if request.args.get("iss", metadata["issuer"]) != metadata["issuer"]:
        abort(400, "unknown issuer")
    hint = request.args.get("login_hint")
    return keycloak.authorize_redirect(url_for("callback", _external=True), **({"login_hint": hint} if hint else {}))


@app.get("/callback")
def callback():
    token = keycloak.authorize_access_token()  # code for tokens; the ID token checked, its claims in 'userinfo'
    session.clear()  # this launch only, under a new id
    session["launch"] = secrets.token_urlsafe(16)
    LAUNCHES[session["launch"]] = {"claims": token["userinfo"], "access_token": token["access_token"]}
    return redirect("/")


def current_launch():
    launch_ = LAUNCHES.get(session.get("launch"))
    if launch_ is None:
        abort(401, "Open the tool from a course of the learning platform.")
    return launch_


def lti(token, method, path, body=None, accept="application/json", **params):
    """A call of the extension's REST API (deep linking, rosters, grades) with a bearer token."""
    answer = requests.request(method, f"{REALM_URL}/lti/{path}", params=params, json=body, timeout=30,
                              headers={"Authorization": f"Bearer {token}", "Accept": accept})
    if not answer.ok:
        raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text}")
    return answer


def is_learner(member):
    return any(role.endswith("membership#Learner") or role == "Learner" for role in member["roles"])


@app.get("/")
def home():
    if session.get("launch") not in LAUNCHES:
        return "<!DOCTYPE html><h1>Sample tool</h1><p>Open me from a course of the learning platform.</p>"
    launch_ = current_launch()
    c = launch_["claims"]
    roles = c.get(LTI + "roles", [])
    roster = None
    if any(role.endswith("membership#Instructor") for role in roles):
        roster = lti(launch_["access_token"], "GET", "nrps/memberships").json()["members"]
    return render_template_string(PAGE, c=c, lti=LTI, roles=roles, roster=roster, is_learner=is_learner,
                                  picker=c.get(LTI + "message_type") == "LtiDeepLinkingRequest",
                                  custom=json.dumps(c.get(LTI + "custom", {})))


@app.post("/deep-link")
def deep_link():
    """Deep linking: Keycloak signs the chosen items and answers a page that posts them to the platform."""
    item = {"type": "ltiResourceLink", "title": request.form["title"], "url": url_for("launch", _external=True)}
    answer = lti(current_launch()["access_token"], "POST", "deep-linking/response", {"content_items": [item]},
                 accept="text/html")
    # its Content-Security-Policy allows exactly its script and its form post to the platform
    return answer.text, 200, {"Content-Type": "text/html; charset=utf-8",
                              "Content-Security-Policy": answer.headers["Content-Security-Policy"]}


@app.post("/score")
def score():
    """Grades: the tool's own service account (client credentials), in the course of the launch."""
    context = current_launch()["claims"]["lti_platform"]["service_context"]
    with OAuth2Session(CLIENT_ID, CLIENT_SECRET) as client:
        token = client.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")["access_token"]
    item = lti(token, "POST", "ags/lineitems", {"label": "Sample quiz", "scoreMaximum": 10}, context=context).json()
    lti(token, "POST", "ags/scores", {
        "userId": request.form["user_id"], "scoreGiven": 7, "scoreMaximum": 10, "activityProgress": "Completed",
        "gradingProgress": "FullyGraded", "timestamp": datetime.now(timezone.utc).isoformat()},
        context=context, lineitem=item["id"])
    return render_template_string(
        '<p id="score-posted">Posted 7/10 for <span class="user-id">{{ u }}</span> in line item '
        '<code id="lineitem">{{ i }}</code>.</p><p><a href="/">Back</a></p>', u=request.form["user_id"], i=item["id"])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))

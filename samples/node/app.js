// An LTI 1.3 tool that only speaks OIDC: Express and openid-client against a Keycloak realm with keycloak-lti.
import { randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import * as oidc from 'openid-client';

const { KEYCLOAK_URL, REALM, CLIENT_ID, CLIENT_SECRET } = process.env;
const PORT = Number(process.env.PORT || 3000);
const realmUrl = `${KEYCLOAK_URL}/realms/${REALM}`;
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

const config = await oidc.discovery(new URL(realmUrl), CLIENT_ID, CLIENT_SECRET);

const app = express();
app.use(express.urlencoded({ extended: false }));
// The login in progress and the launch live in a server-side session (memory: one process, a sample).
app.use(session({ secret: randomBytes(32).toString('hex'), resave: false, saveUninitialized: false,
  cookie: { httpOnly: true, sameSite: 'lax' } }));

const baseUrl = (req) => `${req.protocol}://${req.get('host')}`;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sample tool</title></head>
<body>${body}</body></html>`;

// The launch URL (the target_link_uri): a NEW authorization request on every visit, login_hint passed on.
app.get('/launch', async (req, res) => {
  if (req.query.iss && req.query.iss !== config.serverMetadata().issuer) {
    return res.status(400).send(page('<h1>Unknown issuer</h1>'));
  }
  const login = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
  req.session.logins = { ...req.session.logins, [login.state]: login };
  const params = { redirect_uri: `${baseUrl(req)}/callback`, scope: 'openid profile email', state: login.state,
    nonce: login.nonce, code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
    code_challenge_method: 'S256' };
  if (req.query.login_hint) params.login_hint = req.query.login_hint;
  res.redirect(oidc.buildAuthorizationUrl(config, params).href);
});

app.get('/callback', async (req, res) => {
  const login = req.session.logins?.[req.query.state];
  if (!login) return res.status(400).send(page('<h1>Unknown login</h1><p>Open the tool from a course.</p>'));
  delete req.session.logins[login.state];
  const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, baseUrl(req)),
    { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
  // a new session id at each login (no session fixation), holding this launch only
  await new Promise((done, failed) => req.session.regenerate((error) => (error ? failed(error) : done())));
  req.session.launch = { claims: tokens.claims(), accessToken: tokens.access_token };
  res.redirect('/');
});

// A call of the extension's REST API (deep linking, rosters, grades) with a bearer token.
async function lti(token, method, path, body, accept = 'application/json') {
  const headers = new Headers({ Accept: accept, 'Content-Type': 'application/json' });
  const answer = await oidc.fetchProtectedResource(config, token, new URL(`${realmUrl}/lti/${path}`), method,
    body && JSON.stringify(body), headers);
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
  return answer;
}

app.get('/', async (req, res) => {
  const launch = req.session.launch;
  if (!launch) return res.send(page('<h1>Sample tool</h1><p>Open me from a course of the learning platform.</p>'));
  const c = launch.claims;
  if (c[`${LTI}message_type`] === 'LtiDeepLinkingRequest') {
    return res.send(page(`<h1>Pick content for ${esc(c[`${LTI}context`]?.title)}</h1>
<form id="picker" method="post" action="/deep-link">
<button name="title" value="Chapter 1 quiz">Chapter 1 quiz</button>
<button name="title" value="Chapter 2 quiz">Chapter 2 quiz</button></form>`));
  }
  const roles = c[`${LTI}roles`] ?? [];
  let roster = '';
  if (roles.some((role) => role.endsWith('membership#Instructor'))) {
    const { members } = await (await lti(launch.accessToken, 'GET', 'nrps/memberships')).json();
    roster = `<h2>Roster</h2><table id="roster">${members.map((m) => `<tr><td class="user-id">${esc(m.user_id)}</td>
<td>${esc(m.name)}</td><td>${esc(m.roles.join(' '))}</td><td>${m.roles.some((r) => r.endsWith('#Learner'))
    ? `<form method="post" action="/score"><input type="hidden" name="user_id" value="${esc(m.user_id)}">
<button>Post a score (7/10)</button></form>` : ''}</td></tr>`).join('')}</table>`;
  }
  res.send(page(`<h1>Welcome, <span id="user">${esc(c.name ?? c.preferred_username)}</span></h1><dl>
<dt>Course</dt><dd id="course">${esc(c[`${LTI}context`]?.title)}</dd>
<dt>Roles</dt><dd id="roles">${esc(roles.join(' '))}</dd>
<dt>Resource link</dt><dd id="resource-link">${esc(c[`${LTI}resource_link`]?.title)}</dd>
<dt>Custom</dt><dd id="custom">${esc(JSON.stringify(c[`${LTI}custom`] ?? {}))}</dd></dl>${roster}`));
});

// Deep linking: Keycloak signs the chosen items and answers a page that posts them to the platform.
app.post('/deep-link', async (req, res) => {
  const item = { type: 'ltiResourceLink', title: req.body.title, url: `${baseUrl(req)}/launch` };
  const answer = await lti(req.session.launch.accessToken, 'POST', 'deep-linking/response',
    { content_items: [item] }, 'text/html');
  const policy = answer.headers.get('Content-Security-Policy'); // allows exactly its script and form post
  if (policy) res.set('Content-Security-Policy', policy);
  res.type('html').send(await answer.text());
});

// Grades: the tool's own service account (client credentials), in the course of the launch.
app.post('/score', async (req, res) => {
  const context = encodeURIComponent(req.session.launch.claims.lti_platform.service_context);
  const { access_token: token } = await oidc.clientCredentialsGrant(config);
  const item = await (await lti(token, 'POST', `ags/lineitems?context=${context}`,
    { label: 'Sample quiz', scoreMaximum: 10 })).json();
  await lti(token, 'POST', `ags/scores?context=${context}&lineitem=${encodeURIComponent(item.id)}`, {
    userId: req.body.user_id, scoreGiven: 7, scoreMaximum: 10, activityProgress: 'Completed',
    gradingProgress: 'FullyGraded', timestamp: new Date().toISOString() });
  res.send(page(`<p id="score-posted">Posted 7/10 for <span class="user-id">${esc(req.body.user_id)}</span>
in line item <code id="lineitem">${esc(item.id)}</code>.</p><p><a href="/">Back</a></p>`));
});

app.use((err, req, res, next) => { // eslint-disable-line no-unused-vars
  console.error(err);
  res.status(500).send(page(`<h1>Something went wrong</h1><pre id="error">${esc(err.message)}</pre>`));
});

app.listen(PORT, '127.0.0.1', () => console.log(`Sample tool on http://127.0.0.1:${PORT}/launch`));

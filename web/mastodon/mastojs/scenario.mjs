// The Mastodon client scenario of issue 8: masto.js, a real Mastodon client
// library, drives two running Holon instances as an app would. The Go test
// federation/fedtest/mastodon_client_test.go starts the instances, prepares
// the association and its proposal, runs this script and checks what it
// left behind through Holon's own API. Each step prints one line; the first
// failure ends the script with a non-zero status and the reason.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const A = env("HOLON_A_URL"); // garden's instance: ada (board), mia (member), sam (not a member)
const B_HOST = env("HOLON_B_HOST"); // orchard's instance
const PASSWORD = env("HOLON_PASSWORD");
const PROPOSAL = env("HOLON_PROPOSAL_ID"); // garden's proposal, in its consensus round
const REDIRECT = "org.holon.scenario://oauth"; // a custom scheme, as mobile apps register
const SCOPES = "read write follow push";
const WITHIN = 20_000; // ms, for what crosses between instances

const step = (what) => console.log(`ok  ${what}`);

async function eventually(what, fn) {
  const deadline = Date.now() + WITHIN;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WITHIN} ms${last ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// decode reads the entities html/template writes in attribute values.
const decode = (s) =>
  s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

// hiddenFields returns the hidden inputs of the page's authorization form.
function hiddenFields(html) {
  const form = new URLSearchParams();
  for (const [input] of html.matchAll(/<input\b[^>]*>/g)) {
    if (!/type="hidden"/.test(input)) continue;
    const name = /name="([^"]*)"/.exec(input);
    const value = /value="([^"]*)"/.exec(input);
    if (name) form.set(decode(name[1]), value ? decode(value[1]) : "");
  }
  return form;
}

// logIn registers an app on url, goes through the authorization page as a
// person would (log-in and consent in one form) with PKCE S256, and
// exchanges the code for a token, as Elk or Phanpy do.
async function logIn(url, username) {
  const app = await createRestAPIClient({ url }).v1.apps.create({
    clientName: "masto.js scenario",
    redirectUris: REDIRECT,
    scopes: SCOPES,
    website: "https://example.org/scenario",
  });
  assert.ok(app.clientId && app.clientSecret, "the app has credentials");
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const state = randomBytes(8).toString("hex");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    scope: SCOPES,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const page = await fetch(`${url}/oauth/authorize?${query}`);
  assert.equal(page.status, 200, "the authorization page answers");
  const form = hiddenFields(await page.text());
  form.set("username", username);
  form.set("password", PASSWORD);
  form.set("decision", "allow");
  const answer = await fetch(`${url}/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
  assert.equal(answer.status, 302, `the authorization redirects (${answer.status}: ${await answer.text()})`);
  const back = new URL(answer.headers.get("location"));
  assert.equal(`${back.protocol}//${back.host}`, "org.holon.scenario://oauth", "back to the app's own scheme");
  assert.equal(back.searchParams.get("state"), state, "the state comes back");
  const code = back.searchParams.get("code");
  assert.ok(code, "a code comes back");
  const token = await createOAuthAPIClient({ url }).token.create({
    grantType: "authorization_code",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: REDIRECT,
    code,
    codeVerifier: verifier,
    scope: SCOPES,
  });
  assert.equal(token.tokenType, "Bearer");
  const client = createRestAPIClient({ url, accessToken: token.accessToken });
  const me = await client.v1.accounts.verifyCredentials();
  assert.equal(me.username, username);
  return { client, me, token: token.accessToken };
}

const [ada, mia, sam] = [await logIn(A, "ada"), await logIn(A, "mia"), await logIn(A, "sam")];
step("ada, mia and sam registered an app and logged in with PKCE");

// The instance as apps read it first.
const instance = await ada.client.v2.instance.fetch();
assert.match(instance.version, /^4\.3\.0 \(compatible; Holon /);

// Timelines with paging: five notes of ada's, read two at a time through
// the Link headers, newest first, none twice.
const posted = [];
for (let i = 1; i <= 5; i++) {
  posted.push(await ada.client.v1.statuses.create({ status: `Note ${i} from the garden`, visibility: "public" }));
}
const seen = [];
for await (const page of ada.client.v1.timelines.home.list({ limit: 2 })) {
  assert.ok(page.length <= 2, "a page holds at most limit statuses");
  seen.push(...page.map((s) => s.id));
  if (seen.length >= 5) break;
}
assert.deepEqual(seen.slice(0, 5), posted.map((s) => s.id).reverse(), "the home timeline pages, newest first");
const newer = await ada.client.v1.timelines.home.list({ minId: posted[2].id, limit: 1 });
assert.deepEqual(newer.map((s) => s.id), [posted[3].id], "min_id gives the one just after");
const pub = await sam.client.v1.timelines.public.list({ local: true, limit: 40 });
assert.ok(pub.some((s) => s.id === posted[4].id), "the local timeline has ada's public note");
step("home timeline paged by max_id, min_id; public timeline");

// A status with a poll, and a vote in it.
const polled = await ada.client.v1.statuses.create({
  status: "Which day for the seed swap?",
  poll: { options: ["Saturday", "Sunday"], expiresIn: 86400 },
});
assert.equal(polled.poll?.options.length, 2, "the status has its poll");
const voted = await sam.client.v1.polls.$select(polled.poll.id).votes.create({ choices: [1] });
assert.equal(voted.votesCount, 1);
assert.deepEqual(voted.ownVotes, [1]);
step("posted a status with a poll; sam voted in it");

// The association's proposal is a poll of garden's group account: mia, an
// eligible member, votes and is counted; sam, who is not a member, votes
// and is not.
const garden = await ada.client.v1.accounts.lookup({ acct: "garden" });
assert.equal(garden.group, true, "an association is a group account");
const gardenStatuses = await ada.client.v1.accounts.$select(garden.id).statuses.list({ limit: 40 });
const proposal = gardenStatuses.find((s) => s.poll?.id === PROPOSAL);
assert.ok(proposal, `garden's statuses show the proposal as a poll (${gardenStatuses.map((s) => s.id)})`);
assert.ok(proposal.card?.url, "the proposal's status links to its page");
const byMia = await mia.client.v1.polls.$select(PROPOSAL).votes.create({ choices: [0] });
assert.equal(byMia.options[0].votesCount, 1, "mia's agreement is counted");
await sam.client.v1.polls.$select(PROPOSAL).votes.create({ choices: [0] });
const after = await ada.client.v1.polls.$select(PROPOSAL).fetch();
assert.equal(after.options[0].votesCount, 1, "sam's vote is not counted");
step("voted in garden's proposal: mia counted, sam not");

// Following an association on the other instance, found by search.
const found = await ada.client.v2.search.list({ q: `@orchard@${B_HOST}`, resolve: true, type: "accounts" });
assert.equal(found.accounts.length, 1, "search resolves @orchard@host");
assert.deepEqual(found.statuses, []);
assert.deepEqual(found.hashtags, []);
const orchard = found.accounts[0];
assert.equal(orchard.acct, `orchard@${B_HOST}`);
assert.equal(orchard.group, true);
await ada.client.v1.accounts.$select(orchard.id).follow();
await eventually("ada follows orchard", async () => {
  const [rel] = await ada.client.v1.accounts.relationships.fetch({ id: [orchard.id] });
  return rel.following;
});
step("searched @orchard@host, followed it, accepted");

// Notifications: sam mentions ada, mia favourites her note.
const mention = await sam.client.v1.statuses.create({ status: "@ada the seeds are in the shed" });
await mia.client.v1.statuses.$select(posted[0].id).favourite();
const notes = await eventually("ada's notifications", async () => {
  const list = await ada.client.v1.notifications.list({ limit: 30 });
  const m = list.find((n) => n.type === "mention" && n.status?.id === mention.id);
  const f = list.find((n) => n.type === "favourite" && n.account.username === "mia");
  return m && f ? list : null;
});
assert.ok(notes.every((n) => typeof n.id === "string"));
step("ada's notifications: sam's mention, mia's favourite");

// Live updates: ada listens to her own stream. The client connects when
// it is first read, and a stream brings what happens after it subscribed:
// sam mentions ada again every few seconds until one arrives.
const streaming = createStreamingAPIClient({
  streamingApiUrl: instance.configuration.urls.streaming,
  accessToken: ada.token,
});
const userStream = streaming.user.subscribe();
const streamed = [];
let streamError;
(async () => {
  for await (const event of userStream) streamed.push(event);
})().catch((err) => {
  streamError = err;
});
const live = [];
let lastPost = 0;
await eventually("ada's stream brings a mention live", async () => {
  if (streamError) throw streamError;
  if (Date.now() - lastPost > 3000) {
    lastPost = Date.now();
    live.push((await sam.client.v1.statuses.create({ status: `@ada are you there? ${live.length + 1}` })).id);
  }
  return streamed.some((e) => e.event === "notification" && live.includes(e.payload?.status?.id));
});
userStream.unsubscribe();
streaming.close();
step("the user stream brought the notification live");

console.log("scenario passed");
process.exit(0);

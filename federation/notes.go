package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// registerNotes makes p hand received Create, Update and Delete
// activities of notes to n. The inbox has checked that the activity's
// actor signed it and that the object lives on the actor's host; n checks
// that the actor is the note's author.
//
// Update and Delete of actors themselves go to al; of other things, they
// are done with, not retried.
//
// Partners' projects and tasks go to partners instead: they are kept as
// structured copies, not as notes.
func registerNotes(p *inbox.Processor, n *news.Service, al actorLifecycle, partners *partnerObjects) {
	h := noteHandlers{news: n, actors: al, partners: partners}
	p.Handle("Create", h.create)
	p.Handle("Update", h.update)
	p.Handle("Delete", h.delete)
}

type noteHandlers struct {
	news     *news.Service
	actors   actorLifecycle
	partners *partnerObjects
}

func (h noteHandlers) create(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	if id, ok := doc["object"].(string); ok {
		// Only the id: the note is fetched from its origin (the inbox
		// checked it is on the actor's host).
		_, err := h.news.ReceiveCreateOf(ctx, a.Actor, id)
		return settled(err)
	}
	obj, ok := doc["object"].(map[string]any)
	if ok && isPartnerObject(obj["type"]) {
		if !h.partners.active() {
			return nil
		}
		return h.partners.receive(ctx, a, obj)
	}
	if ok && isPollVote(obj) {
		return h.pollVote(ctx, a, obj)
	}
	if !ok || !(isNoteType(obj["type"]) || isPoll(obj)) {
		return nil
	}
	_, err := h.news.ReceiveCreate(ctx, a.Actor, remoteNote(obj, doc, a.Actor))
	return settled(err)
}

// pollVote counts a vote in the poll of a local note (votes on proposals
// were taken before, by voteHandlers). The voter is whoever signed: a vote
// attributed to anyone else is not theirs to cast. A vote on anything
// else is dropped.
func (h noteHandlers) pollVote(ctx context.Context, a store.InboxActivity, obj map[string]any) error {
	if by := ids(obj["attributedTo"]); len(by) != 1 || by[0] != a.Actor {
		return nil
	}
	name, _ := obj["name"].(string)
	err := h.news.ReceivePollVote(ctx, a.Actor, vocab.IDOf(obj["inReplyTo"]), name, vocab.IDOf(obj["id"]))
	return settled(err)
}

// isPoll tells a Question that is a poll, as Mastodon reads one: oneOf or
// anyOf is an array (docs/vocabulary.md, what Mastodon shows, rule 5).
func isPoll(obj map[string]any) bool {
	if !hasType(obj["type"], "Question") {
		return false
	}
	_, one := obj["oneOf"].([]any)
	_, any := obj["anyOf"].([]any)
	return one || any
}

// remotePoll reads a Question's poll: its options' names and counts, its
// voters and its end (closed when it is a date, else endTime, as Mastodon
// reads them); nil when obj is no poll.
func remotePoll(obj map[string]any) *news.RemotePoll {
	if !isPoll(obj) {
		return nil
	}
	p := &news.RemotePoll{}
	items, _ := obj["oneOf"].([]any)
	if anyOf, ok := obj["anyOf"].([]any); ok && len(items) == 0 {
		items, p.Multiple = anyOf, true
	}
	for _, it := range items {
		o, ok := it.(map[string]any)
		if !ok {
			continue
		}
		if len(p.Options) == news.MaxRemotePollOptions {
			break
		}
		name, _ := o["name"].(string)
		n := 0
		if r, ok := o["replies"].(map[string]any); ok {
			if f, ok := r["totalItems"].(float64); ok && f >= 0 && f < 1<<31 {
				n = int(f)
			}
		}
		p.Options, p.Counts = append(p.Options, name), append(p.Counts, n)
	}
	if f, ok := obj["votersCount"].(float64); ok && f >= 0 && f < 1<<31 {
		v := int(f)
		p.Voters = &v
	}
	if p.EndTime = pollInstant(obj["closed"]); p.EndTime.IsZero() {
		p.EndTime = pollInstant(obj["endTime"])
	}
	return p
}

// pollInstant reads a poll's end: an RFC 3339 time, or one without a
// zone, read as UTC (Pleroma writes "closed" so).
func pollInstant(v any) time.Time {
	if t := instant(v); !t.IsZero() {
		return t
	}
	s, _ := v.(string)
	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// isPollVote tells Mastodon's poll vote: a Note whose name is the option
// chosen, without content, in reply to the poll. It is a ballot, not a
// post: votes on proposals here are voteHandlers' (governance_receive.go);
// none is ever stored as a note, where it would read as a direct message.
func isPollVote(obj map[string]any) bool {
	name, _ := obj["name"].(string)
	content, _ := obj["content"].(string)
	return vocab.FirstType(obj["type"]) == "Note" && name != "" && content == "" && vocab.IDOf(obj["inReplyTo"]) != ""
}

func (h noteHandlers) update(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	obj, ok := doc["object"].(map[string]any)
	if ok && isActor(obj["type"]) {
		return h.actors.update(ctx, a, obj)
	}
	if ok && isPartnerObject(obj["type"]) {
		if !h.partners.active() {
			return nil
		}
		return h.partners.receive(ctx, a, obj)
	}
	if !ok || !(isNoteType(obj["type"]) || isPoll(obj)) {
		return nil
	}
	_, err := h.news.ReceiveUpdate(ctx, a.Actor, remoteNote(obj, doc, a.Actor))
	return settled(err)
}

func (h noteHandlers) delete(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	id := vocab.IDOf(doc["object"])
	if id == a.Actor {
		return h.actors.delete(ctx, a)
	}
	if id == "" {
		return nil
	}
	if h.partners.active() {
		if kept, err := h.partners.forget(ctx, a, id); kept || err != nil {
			return err
		}
	}
	return settled(h.news.ReceiveDelete(ctx, a.Actor, id))
}

// settled turns a refusal by the rules (another actor's note, a note that
// concerns nobody here, one too large…) into done: retrying would not
// change the answer. Other errors are retried.
func settled(err error) error {
	if core.KindOf(err) != 0 {
		return nil
	}
	return err
}

// remoteNote reads what news needs of a received Note, Article or Page.
// The addressing of the activity stands in when the object has none.
func remoteNote(obj, activity map[string]any, actor string) news.RemoteNote {
	n := news.RemoteNote{
		URI:          vocab.IDOf(obj["id"]),
		AttributedTo: attributedTo(obj["attributedTo"], actor),
		URL:          urlOf(obj["url"]),
		InReplyTo:    vocab.IDOf(obj["inReplyTo"]),
		To:           ids(obj["to"]),
		CC:           ids(obj["cc"]),
		Published:    instant(obj["published"]),
		Updated:      instant(obj["updated"]),
	}
	if !hasType(obj["type"], "Note") {
		n.Name, _ = obj["name"].(string) // an Article's or a Page's title
	}
	n.Content, _ = obj["content"].(string)
	n.MediaType, _ = obj["mediaType"].(string)
	n.Summary, _ = obj["summary"].(string)
	n.Sensitive, _ = obj["sensitive"].(bool)
	if n.To == nil && n.CC == nil {
		n.To, n.CC = ids(activity["to"]), ids(activity["cc"])
	}
	for _, t := range list(obj["tag"]) {
		m, ok := t.(map[string]any)
		if !ok {
			continue
		}
		name, _ := m["name"].(string)
		switch {
		case hasType(m["type"], "Hashtag"):
			n.Tags = append(n.Tags, name)
		case hasType(m["type"], "Mention"):
			n.Mentions = append(n.Mentions, news.Mention{Href: vocab.IDOf(m["href"]), Name: name})
		}
	}
	n.Poll = remotePoll(obj)
	n.Attachments = remoteAttachments(obj["attachment"])
	if raw, err := marshal(obj); err == nil {
		n.Raw = string(raw)
	}
	return n
}

// remoteAttachments reads a note's attachment property as Mastodon,
// Pleroma and GoToSocial write it: Document or Image objects with a url
// (a string or a Link). news bounds them; a Link (Lemmy's page image) or
// a PropertyValue is not an attachment. Reading stops a little past
// news' bound, so that a note with thousands costs nothing.
func remoteAttachments(v any) []news.RemoteAttachment {
	var out []news.RemoteAttachment
	for _, e := range list(v) {
		if len(out) > news.MaxRemoteAttachments {
			break
		}
		m, ok := e.(map[string]any)
		if !ok || !(hasType(m["type"], "Document") || hasType(m["type"], "Image")) {
			continue
		}
		a := news.RemoteAttachment{URL: urlOf(m["url"])}
		if a.URL == "" {
			continue
		}
		a.MediaType, _ = m["mediaType"].(string)
		a.Name, _ = m["name"].(string)
		a.Blurhash, _ = m["blurhash"].(string)
		a.Width, a.Height = dimension(m["width"]), dimension(m["height"])
		if fp, ok := m["focalPoint"].([]any); ok && len(fp) == 2 {
			a.FocusX, _ = fp[0].(float64)
			a.FocusY, _ = fp[1].(float64)
		}
		out = append(out, a)
	}
	return out
}

// dimension reads a width or a height: a JSON number (0 when absent or
// not one).
func dimension(v any) int {
	f, ok := v.(float64)
	if !ok || f < 0 || f > 1e6 {
		return 0
	}
	return int(f)
}

// attributedTo picks the author: the actor itself when it is among those
// named (PeerTube names the account and its channel), else the first.
func attributedTo(v any, actor string) string {
	all := ids(v)
	for _, a := range all {
		if a == actor {
			return a
		}
	}
	if len(all) > 0 {
		return all[0]
	}
	return ""
}

// urlOf reads a url property: a string, a Link, or a list of either.
func urlOf(v any) string {
	for _, u := range list(v) {
		switch u := u.(type) {
		case string:
			return u
		case map[string]any:
			if href, ok := u["href"].(string); ok {
				return href
			}
		}
	}
	return ""
}

func list(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

func ids(v any) []string {
	var out []string
	for _, e := range list(v) {
		if id := vocab.IDOf(e); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func hasType(v any, want string) bool {
	for _, t := range list(v) {
		if t == want {
			return true
		}
	}
	return false
}

func instant(v any) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// notePublisher turns news' publications into Create, Update and Delete
// activities and queues their delivery in the same transaction
// (news.Publisher).
type notePublisher struct {
	baseURL string
	clock   core.Clock
	// queued tells the delivery worker there is work, once the
	// transaction has committed.
	queued func()
}

// newNotePublisher returns the publisher of the notes of the instance at
// baseURL; queued (the delivery worker's Wake) runs after each commit
// that queued deliveries.
func newNotePublisher(baseURL string, clock core.Clock, queued func()) *notePublisher {
	return &notePublisher{baseURL: baseURL, clock: clock, queued: queued}
}

// Publish writes the activity p describes, addressed as the note is, and
// queues it for p.Inboxes.
func (pb *notePublisher) Publish(ctx context.Context, tx store.Tx, p news.Publication) error {
	id := pb.baseURL + "/activities/" + uuid.Must(uuid.NewV7()).String()
	to, cc := p.Note.Audience()
	doc := map[string]any{
		"@context": vocab.Context(),
		"id":       id,
		"type":     p.Type,
		"actor":    p.Note.Author.URI,
		"to":       to,
		"cc":       cc,
	}
	switch p.Type {
	case "Create":
		doc["object"] = noteObject(p.Note, pb.baseURL)
		doc["published"] = timestamp(p.Note.Published)
	case "Update":
		if p.Note.Updated == nil {
			return errors.New("publish Update: the note has no update time")
		}
		doc["object"] = noteObject(p.Note, pb.baseURL)
		doc["published"] = timestamp(*p.Note.Updated)
	case "Delete":
		doc["object"] = tombstone(p.Note)
	case "Vote":
		// A vote in a received poll, as Mastodon sends it: a Note named
		// after the option, in reply to the Question, to its author only.
		if p.By == nil || p.ActivityID == "" {
			return errors.New("publish a poll vote: no voter")
		}
		id = p.ActivityID + "/activity"
		doc["id"], doc["type"], doc["actor"] = id, "Create", p.By.URI
		doc["to"] = []string{p.Note.Author.URI}
		delete(doc, "cc")
		doc["object"] = map[string]any{"id": p.ActivityID, "type": "Note", "name": p.Vote, "attributedTo": p.By.URI,
			"to": []string{p.Note.Author.URI}, "inReplyTo": p.Note.URI}
	case "Like", "Announce", "Undo":
		if p.By == nil || p.ActivityID == "" {
			return fmt.Errorf("publish %s of a note: no actor reacting", p.Type)
		}
		kind := p.Type
		if kind == "Undo" {
			kind = p.Undone
		}
		doc["actor"] = p.By.URI
		doc["to"] = []string{p.Note.Author.URI}
		delete(doc, "cc")
		if kind == "Announce" {
			// A boost is public, to the booster's followers and the author.
			doc["to"] = []string{vocab.PublicAudience}
			doc["cc"] = []string{p.By.Followers, p.Note.Author.URI}
		}
		if p.Type == "Undo" {
			doc["object"] = map[string]any{"id": p.ActivityID, "type": kind, "actor": p.By.URI, "object": p.Note.URI}
		} else {
			id = p.ActivityID
			doc["id"], doc["object"] = id, p.Note.URI
			doc["published"] = timestamp(pb.clock.Now())
		}
	default:
		return fmt.Errorf("publish %s of a note: not a type Holon publishes", p.Type)
	}
	body, err := marshal(doc)
	if err != nil {
		return fmt.Errorf("publish %s: %w", p.Type, err)
	}
	sender := p.Note.Author.Username
	if p.By != nil {
		sender = p.By.Username // a local actor's Like of someone else's note
	}
	inboxes, err := relayInboxes(ctx, tx, p)
	if err != nil {
		return err
	}
	if err := delivery.Enqueue(ctx, tx, id, sender, body, inboxes, pb.clock.Now()); err != nil {
		return err
	}
	if err := pb.relay(ctx, tx, p, doc); err != nil {
		return err
	}
	tx.AfterCommit(pb.queued)
	return nil
}

// NoteDocument is the ActivityPub document of a local note, as its id
// answers.
func NoteDocument(n news.Note, baseURL string) map[string]any {
	doc := noteObject(n, baseURL)
	doc["@context"] = vocab.Context()
	return doc
}

// noteObject is a local note on the wire, in Mastodon's shape: HTML
// content, the Markdown source beside it, the content warning in summary,
// Hashtag and Mention tags.
func noteObject(n news.Note, baseURL string) map[string]any {
	to, cc := n.Audience()
	tags := make([]any, 0, len(n.Tags)+len(n.Mentions))
	for _, t := range n.Tags {
		tags = append(tags, map[string]any{"type": "Hashtag", "href": baseURL + "/tags/" + url.PathEscape(t), "name": "#" + t})
	}
	for _, m := range n.Mentions {
		tags = append(tags, map[string]any{"type": "Mention", "href": m.Href, "name": m.Name})
	}
	o := map[string]any{
		"id":           n.URI,
		"type":         "Note",
		"attributedTo": n.Author.URI,
		"content":      n.Content,
		"published":    timestamp(n.Published),
		"to":           to,
		"cc":           cc,
		"url":          n.URL,
		"sensitive":    n.Sensitive,
		"summary":      nil,
		"inReplyTo":    nil,
		"tag":          tags,
	}
	if n.Poll != nil {
		question(o, *n.Poll, time.Now())
	}
	if n.Summary != "" {
		o["summary"] = n.Summary
	}
	if n.InReplyTo != "" {
		o["inReplyTo"] = n.InReplyTo
	}
	if n.Updated != nil {
		o["updated"] = timestamp(*n.Updated)
	}
	if n.Source != "" {
		o["source"] = map[string]any{"content": n.Source, "mediaType": "text/markdown"}
	}
	o["attachment"] = attachmentObjects(n.Attachments)
	return o
}

// question makes the note object o a Question with poll p, in Mastodon's
// shape: oneOf (single choice) or anyOf (multiple), each option a Note
// with its count in replies.totalItems, endTime, closed once ended, and
// votersCount. Hidden totals are sent as 0 until the poll ends.
func question(o map[string]any, p news.Poll, now time.Time) {
	o["type"] = "Question"
	hidden := p.HideTotals && !p.Expired(now)
	options := make([]any, len(p.Options))
	for i, opt := range p.Options {
		n := opt.Votes
		if hidden {
			n = 0
		}
		options[i] = map[string]any{"type": "Note", "name": opt.Title,
			"replies": map[string]any{"type": "Collection", "totalItems": n}}
	}
	if p.Multiple {
		o["anyOf"] = options
	} else {
		o["oneOf"] = options
	}
	if p.ExpiresAt != nil {
		o["endTime"] = timestamp(*p.ExpiresAt)
		if p.Expired(now) {
			o["closed"] = timestamp(*p.ExpiresAt)
		}
	}
	if p.Voters != nil {
		o["votersCount"] = *p.Voters
	}
}

// attachmentObjects are a local note's images on the wire, as Mastodon
// writes them: Documents with the media type, the URL, the description as
// name (null without one), the focal point and the size in pixels.
func attachmentObjects(list []news.Attachment) []any {
	out := make([]any, 0, len(list))
	for _, a := range list {
		d := map[string]any{
			"type":       "Document",
			"mediaType":  a.MediaType,
			"url":        a.URL,
			"name":       nil,
			"focalPoint": []float64{a.FocusX, a.FocusY},
		}
		if a.Description != "" {
			d["name"] = a.Description
		}
		if a.Blurhash != "" {
			d["blurhash"] = a.Blurhash
		}
		if a.Width > 0 && a.Height > 0 {
			d["width"], d["height"] = a.Width, a.Height
		}
		out = append(out, d)
	}
	return out
}

// tombstone is what stays of a deleted note.
func tombstone(n news.Note) map[string]any {
	t := map[string]any{"id": n.URI, "type": "Tombstone", "formerType": "Note"}
	if n.Deleted != nil {
		t["deleted"] = timestamp(*n.Deleted)
	}
	return t
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// marshal writes JSON without escaping <, > and &, which notes' HTML is
// full of.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// NoteObjects is what serving notes' ids needs of the news service.
type NoteObjects interface {
	Object(ctx context.Context, id uuid.UUID) (news.Note, error)
	Outbox(ctx context.Context, name string, before uuid.UUID, limit int) (news.OutboxPage, error)
}

// RegisterNoteObjects adds GET /notes/{id} to r: a local public or
// unlisted note as ActivityPub JSON (a Tombstone with 410 once deleted);
// browsers are sent to the note's page, /@{author}/notes/{id}.
func RegisterNoteObjects(r chi.Router, n NoteObjects, baseURL string) {
	r.Get("/actors/{name}/outbox", func(w http.ResponseWriter, req *http.Request) { serveOutbox(w, req, n, baseURL) })
	r.Get("/notes/{id}", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Add("Vary", "Accept")
		id, err := uuid.Parse(chi.URLParam(req, "id"))
		if err != nil {
			http.Error(w, "no such note", http.StatusNotFound)
			return
		}
		note, err := n.Object(req.Context(), id)
		wantsJSON := actors.WantsActivityJSON(req.Header.Get("Accept"))
		switch {
		case errors.Is(err, news.ErrNoteDeleted) && wantsJSON:
			doc := tombstone(note)
			doc["@context"] = vocab.Context()
			writeDocument(w, req, http.StatusGone, doc)
			return
		case errors.Is(err, news.ErrNoteDeleted):
			http.Error(w, "this note was deleted", http.StatusGone)
			return
		case core.KindOf(err) == core.KindNotFound:
			http.Error(w, "no such note", http.StatusNotFound)
			return
		case err != nil:
			hlog.FromRequest(req).Error().Err(err).Msg("serve note")
			http.Error(w, "note unavailable", http.StatusInternalServerError)
			return
		}
		if !wantsJSON {
			http.Redirect(w, req, baseURL+"/@"+note.Author.Username+"/notes/"+note.ID.String(), http.StatusSeeOther)
			return
		}
		writeDocument(w, req, http.StatusOK, NoteDocument(note, baseURL))
	})
}

func writeDocument(w http.ResponseWriter, r *http.Request, status int, doc map[string]any) {
	b, err := marshal(doc)
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("encode note")
		http.Error(w, "note unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", actors.ContentType)
	w.Header().Set("Cache-Control", "max-age=60")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// serveOutbox answers an actor's outbox: an OrderedCollection with its
// total and a first page, and pages of Create activities of its public and
// unlisted notes, newest first (?page=true, then ?page=<cursor>).
func serveOutbox(w http.ResponseWriter, r *http.Request, n NoteObjects, baseURL string) {
	name := chi.URLParam(r, "name")
	id := baseURL + r.URL.Path
	pageParam := r.URL.Query().Get("page")
	var before uuid.UUID
	if pageParam != "" && pageParam != "true" {
		var err error
		if before, err = uuid.Parse(pageParam); err != nil {
			http.Error(w, "page must be true or a cursor from a next link", http.StatusBadRequest)
			return
		}
	}
	page, err := n.Outbox(r.Context(), name, before, news.MaxOutboxPage)
	switch {
	case core.KindOf(err) == core.KindNotFound:
		http.Error(w, "no such actor", http.StatusNotFound)
		return
	case err != nil:
		hlog.FromRequest(r).Error().Err(err).Msg("serve outbox")
		http.Error(w, "outbox unavailable", http.StatusInternalServerError)
		return
	}
	if pageParam == "" {
		writeDocument(w, r, http.StatusOK, map[string]any{"@context": vocab.Context(), "id": id,
			"type": "OrderedCollection", "totalItems": page.Total, "first": id + "?page=true"})
		return
	}
	items := make([]any, 0, len(page.Notes))
	for _, note := range page.Notes {
		to, cc := note.Audience()
		// The Create of a note is named after it, as Mastodon names its own.
		items = append(items, map[string]any{"id": note.URI + "/activity", "type": "Create", "actor": note.Author.URI,
			"published": timestamp(note.Published), "to": to, "cc": cc, "object": noteObject(note, baseURL)})
	}
	doc := map[string]any{"@context": vocab.Context(), "id": id + "?page=" + pageParam, "type": "OrderedCollectionPage",
		"partOf": id, "totalItems": page.Total, "orderedItems": items}
	if page.Next != uuid.Nil {
		doc["next"] = id + "?page=" + page.Next.String()
	}
	writeDocument(w, r, http.StatusOK, doc)
}

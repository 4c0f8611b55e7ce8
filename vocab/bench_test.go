package vocab

import (
	"context"
	"strings"
	"testing"
)

// mastodonNote is a public reply as Mastodon 4 sends it (context, ostatus
// and toot extras, a mention, a hashtag and an attachment).
const mastodonNote = `{
  "@context": ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri", "inReplyToAtomUri": "ostatus:inReplyToAtomUri", "conversation": "ostatus:conversation", "sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#", "votersCount": "toot:votersCount", "blurhash": "toot:blurhash", "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}, "Hashtag": "as:Hashtag"}],
  "id": "https://mastodon.example/users/bob/statuses/113000000000000001",
  "type": "Note",
  "summary": null,
  "inReplyTo": "https://holon.example/notes/0195551e-0000-7000-8000-000000000001",
  "published": "2025-03-01T12:34:56Z",
  "url": "https://mastodon.example/@bob/113000000000000001",
  "attributedTo": "https://mastodon.example/users/bob",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "cc": ["https://mastodon.example/users/bob/followers", "https://holon.example/actors/alice"],
  "sensitive": false,
  "atomUri": "https://mastodon.example/users/bob/statuses/113000000000000001",
  "inReplyToAtomUri": "https://holon.example/notes/0195551e-0000-7000-8000-000000000001",
  "conversation": "tag:mastodon.example,2025-03-01:objectId=1234:objectType=Conversation",
  "content": "<p><span class=\"h-card\"><a href=\"https://holon.example/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> count me in for the <a href=\"https://mastodon.example/tags/garden\" class=\"mention hashtag\" rel=\"tag\">#<span>garden</span></a> day!</p>",
  "contentMap": {"en": "<p>count me in for the #garden day!</p>"},
  "attachment": [{"type": "Document", "mediaType": "image/jpeg", "url": "https://files.mastodon.example/media/1.jpg", "name": "Seedlings in trays", "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "focalPoint": [0.0, 0.0], "width": 1200, "height": 900}],
  "tag": [{"type": "Mention", "href": "https://holon.example/actors/alice", "name": "@alice@holon.example"}, {"type": "Hashtag", "href": "https://mastodon.example/tags/garden", "name": "#garden"}],
  "replies": {"id": "https://mastodon.example/users/bob/statuses/113000000000000001/replies", "type": "Collection", "first": {"type": "CollectionPage", "next": "https://mastodon.example/users/bob/statuses/113000000000000001/replies?only_other_accounts=true&page=true", "partOf": "https://mastodon.example/users/bob/statuses/113000000000000001/replies", "items": []}}
}`

// prefixedNote is the same note with its type written as a compact IRI,
// which only the slow path (json-gold) can read.
var prefixedNote = strings.Replace(mastodonNote, `"type": "Note"`, `"type": "as:Note"`, 1)

func benchmarkResolve(b *testing.B, doc string, wantPlain bool) {
	raw := []byte(doc)
	m, err := Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	if plain, _ := isPlain(m); plain != wantPlain {
		b.Fatalf("isPlain = %v, want %v", plain, wantPlain)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		t, err := Resolve(ctx, raw)
		if err != nil || t.GetTypeName() != "Note" {
			b.Fatal(t, err)
		}
	}
}

// BenchmarkResolveNote is the common case: plain ActivityStreams with
// Mastodon's extensions, straight to the generated resolver.
func BenchmarkResolveNote(b *testing.B) { benchmarkResolve(b, mastodonNote, true) }

// BenchmarkResolvePrefixed is the rare case: the same note normalised with
// json-gold first.
func BenchmarkResolvePrefixed(b *testing.B) { benchmarkResolve(b, prefixedNote, false) }

// BenchmarkParse is the bounded decoding alone (part of both above).
func BenchmarkParse(b *testing.B) {
	raw := []byte(mastodonNote)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshalTask is the outgoing side: a multi-typed Holon object.
func BenchmarkMarshalTask(b *testing.B) {
	task := newTask(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(task); err != nil {
			b.Fatal(err)
		}
	}
}

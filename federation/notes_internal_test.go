package federation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/internal/fixtures"
)

// Real Notes, as Mastodon, Pleroma, Lemmy and PeerTube send them, read into
// what news needs: author, addressing (hence visibility), reply, tags.
func TestRemoteNote_RealWorldPayloads(t *testing.T) {
	dir := fixtures.Dir(t)
	tests := []struct {
		fixture, actor          string
		visibility, inReplyTo   string
		mentions, tags          []string
		sensitive, hasMediaType bool
	}{
		{"mastodon-note-create.json", "https://mastodon.madrid/users/felix", news.Unlisted,
			"https://mamot.fr/users/retiolus/statuses/107224244380204526", []string{"https://mamot.fr/users/retiolus"}, nil, false, false},
		{"mastodon-note-create-2.json", "http://mastodon.example.org/users/admin", news.Public, "",
			[]string{"http://localtesting.pleroma.lol/users/lain"}, nil, true, false},
		{"mastodon-note-object-2.json", "https://floss.social/users/kde", news.Public,
			"https://floss.social/users/kde/statuses/113306824627995724", []string{"https://lemmy.kde.social/c/kde"}, nil, false, false},
		{"pleroma-note.json", "https://queer.hacktivis.me/users/lanodan", news.Unlisted, "https://enterprise.lemmy.ml/post/55143",
			[]string{"https://pleroma.popolon.org/users/popolon"}, nil, false, false},
		{"lemmy-comment-note.json", "https://enterprise.lemmy.ml/u/picard", news.Public, "https://enterprise.lemmy.ml/post/55143",
			[]string{"https://enterprise.lemmy.ml/u/picard", "https://enterprise.lemmy.ml/c/tenforward"}, nil, false, true},
		{"peertube-note-comment.json", "https://video.antopie.org/accounts/yoge6785555", news.Public,
			"https://bae.st/objects/87c1cbf5-542a-491d-af57-0414c8648381", []string{"https://bae.st/users/af2"}, nil, false, true},
		{"mastodon-docs-hashtag-note.json", "https://example.com", news.Direct, "", nil, []string{"#cats"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			obj := doc
			if inner, ok := doc["object"].(map[string]any); ok {
				obj = inner
			}
			n := remoteNote(obj, doc, tt.actor)
			var mentions []string
			for _, m := range n.Mentions {
				mentions = append(mentions, m.Href)
			}
			if n.URI != obj["id"] || n.AttributedTo != tt.actor || n.InReplyTo != tt.inReplyTo || n.Content == "" ||
				n.Sensitive != tt.sensitive || (n.MediaType != "") != tt.hasMediaType || !slices.Equal(mentions, tt.mentions) ||
				!slices.Equal(n.Tags, tt.tags) || n.Raw == "" {
				t.Fatalf("read %+v", n)
			}
			if v := news.VisibilityOf(n.To, n.CC, tt.actor+"/followers"); v != tt.visibility {
				t.Fatalf("visibility %s, want %s (to %v, cc %v)", v, tt.visibility, n.To, n.CC)
			}
			if obj["published"] != nil && n.Published.IsZero() {
				t.Fatalf("published %v not read", obj["published"])
			}
		})
	}
}

// Articles and Pages (Lemmy posts, WordPress articles) are read as notes
// whose name is their title; a Note's name (a Mastodon poll vote) is not.
func TestRemoteNote_ArticlesAndPagesHaveTitles(t *testing.T) {
	dir := fixtures.Dir(t)
	tests := []struct {
		fixture string
		path    []string // where the object lies in the document
		title   string
		url     string
	}{
		{"lemmy-page.json", nil, "Post title", ""},
		{"lemmy-create-page.json", []string{"object"}, "test post", ""},
		{"wordpress-announce.json", []string{"object", "object"}, "Lemmy (Part 4)", "https://pfefferle.org/lemmy-part-4/"},
		{"mastodon-vote-note.json", []string{"object"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			var obj map[string]any
			if err := json.Unmarshal(b, &obj); err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.path {
				obj, _ = obj[k].(map[string]any)
			}
			if !isNoteType(obj["type"]) {
				t.Fatalf("type %v is not read as a note", obj["type"])
			}
			n := remoteNote(obj, nil, "")
			if n.Name != tt.title || n.URL != tt.url || n.URI != obj["id"] || n.AttributedTo == "" {
				t.Fatalf("read %+v", n)
			}
		})
	}
}

package federation

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/internal/fixtures"
)

// A Mastodon note's image (Document with url, name, blurhash, focalPoint
// and size) is read as news needs it; a Lemmy page's Link image is not an
// attachment; a note claiming thousands is read only a little past news'
// bound.
func TestRemoteNote_Attachments(t *testing.T) {
	dir := fixtures.Dir(t)
	read := func(t *testing.T, name string) map[string]any {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if inner, ok := doc["object"].(map[string]any); ok {
			return inner
		}
		return doc
	}
	many := map[string]any{"id": "https://peer.example/notes/1", "type": "Note"}
	var list []any
	for i := range 1000 {
		list = append(list, map[string]any{"type": "Image", "url": fmt.Sprintf("https://peer.example/%d.png", i)})
	}
	many["attachment"] = list
	tests := []struct {
		name string
		obj  map[string]any
		want []news.RemoteAttachment
		max  int
	}{
		{"mastodon", read(t, "mastodon-note-object-2.json"), []news.RemoteAttachment{{
			URL:       "https://cdn.masto.host/floss/media_attachments/files/113/306/826/682/985/891/original/c8d906a2f2ab2334.jpg",
			MediaType: "image/jpeg", Name: "The KDE dragons Katie and Konqi stand on either side of a pot filling up with gold coins. Donate!",
			Width: 1500, Height: 1095, Blurhash: "USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc"}}, 1},
		{"lemmy link", read(t, "lemmy-page.json"), nil, 0},
		{"without attachment", read(t, "mastodon-note-create.json"), nil, 0},
		{"thousands", many, nil, news.MaxRemoteAttachments + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := remoteNote(tt.obj, nil, "").Attachments
			if len(got) != tt.max {
				t.Fatalf("read %d attachments, want %d: %+v", len(got), tt.max, got)
			}
			for i, w := range tt.want {
				if got[i] != w {
					t.Errorf("attachment %d: %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

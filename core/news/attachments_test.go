package news_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/news"
)

// pngImage is a small w×h PNG.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: uint8(x * 40), G: 120, B: uint8(y * 40), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A note carries its author's uploads, in order, on the wire too; an
// upload is the uploader's only, attached once; five are too many; a
// deleted note keeps none.
func TestPost_CarriesItsAuthorsUploads(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		upload := func(by string, description string) news.Attachment {
			t.Helper()
			acc := ada
			if by == "bob" {
				acc = bob
			}
			a, err := f.svc.Upload(ctx, acc, news.Upload{Data: pngImage(t, 4, 3), Description: description, FocusX: 0.5, FocusY: -0.5})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		first, second := upload("ada", "a red square"), upload("ada", "")
		if first.Width != 4 || first.Height != 3 || first.MediaType != "image/png" || !first.Local || first.Attached ||
			!strings.HasPrefix(first.URL, base+"/media/") || first.Size == 0 {
			t.Fatalf("upload %+v", first)
		}
		if _, err := f.svc.Attachment(ctx, bob, first.ID); !errors.Is(err, news.ErrNoSuchAttachment) {
			t.Fatalf("bob reads ada's upload: %v", err)
		}
		if _, err := f.svc.Describe(ctx, bob, first.ID, "mine", 0, 0); !errors.Is(err, news.ErrNoSuchAttachment) {
			t.Fatalf("bob describes ada's upload: %v", err)
		}
		if _, err := f.svc.Post(ctx, bob, news.PostInput{Content: "look", MediaIDs: []uuid.UUID{first.ID}}); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("bob posts ada's upload: %v", err)
		}
		n := f.post(t, ada, news.PostInput{MediaIDs: []uuid.UUID{second.ID, first.ID}}) // no text: the images say it
		if len(n.Attachments) != 2 || n.Attachments[0].ID != second.ID || n.Attachments[1].Description != "a red square" {
			t.Fatalf("note carries %+v", n.Attachments)
		}
		if p := f.pubs.last(t); p.Type != "Create" || len(p.Note.Attachments) != 2 {
			t.Fatalf("published %s with %d attachments", p.Type, len(p.Note.Attachments))
		}
		got, err := f.svc.Get(ctx, nil, n.ID)
		if err != nil || len(got.Attachments) != 2 || got.Attachments[1].FocusX != 0.5 {
			t.Fatalf("read back %+v %v", got.Attachments, err)
		}
		if _, err := f.svc.Attachment(ctx, ada, first.ID); !errors.Is(err, news.ErrNoSuchAttachment) {
			t.Fatalf("an attached upload is still shown as one: %v", err)
		}
		if _, err := f.svc.Post(ctx, ada, news.PostInput{Content: "again", MediaIDs: []uuid.UUID{first.ID}}); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("an upload attached twice: %v", err)
		}
		five := []uuid.UUID{upload("ada", "").ID, upload("ada", "").ID, upload("ada", "").ID, upload("ada", "").ID, upload("ada", "").ID}
		if _, err := f.svc.Post(ctx, ada, news.PostInput{Content: "five", MediaIDs: five}); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("five images: %v", err)
		}
		if _, err := f.svc.Post(ctx, ada, news.PostInput{Content: "twice", MediaIDs: []uuid.UUID{five[0], five[0]}}); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("one image twice: %v", err)
		}
		edited, err := f.svc.Update(ctx, ada, n.ID, news.Change{Content: ptr("now with words")})
		if err != nil || len(edited.Attachments) != 2 || len(f.pubs.last(t).Note.Attachments) != 2 {
			t.Fatalf("an edit loses the images: %+v %v", edited.Attachments, err)
		}
		if err := f.svc.Delete(ctx, ada, n.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Media(ctx, mediaID(t, first.URL)); err == nil {
			t.Fatal("a deleted note's image is still served")
		}
	})
}

func ptr[T any](v T) *T { return &v }

func mediaID(t *testing.T, url string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(url[strings.LastIndex(url, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Uploads are images within bounds, with a description of at most 1500
// characters and a focus within -1…1.
func TestUpload_Bounds(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		tests := []struct {
			name string
			in   news.Upload
			kind core.Kind
		}{
			{"text", news.Upload{Data: []byte("hello, world")}, core.KindInvalid},
			{"too large", news.Upload{Data: bytes.Repeat([]byte{0}, 8<<20+1)}, core.KindTooLarge},
			{"long description", news.Upload{Data: pngImage(t, 2, 2), Description: strings.Repeat("é", news.MaxDescriptionLength+1)}, core.KindInvalid},
			{"focus out of range", news.Upload{Data: pngImage(t, 2, 2), FocusX: 1.5}, core.KindInvalid},
		}
		for _, tt := range tests {
			if _, err := f.svc.Upload(ctx, ada, tt.in); core.KindOf(err) != tt.kind {
				t.Errorf("%s: %v, want kind %v", tt.name, err, tt.kind)
			}
		}
	})
}

// Uploads no note carried within a day are swept, with their images;
// attached ones stay.
func TestSweepUploads(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		left, err := f.svc.Upload(ctx, ada, news.Upload{Data: pngImage(t, 2, 2)})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := f.svc.Upload(ctx, ada, news.Upload{Data: pngImage(t, 2, 2)})
		if err != nil {
			t.Fatal(err)
		}
		f.post(t, ada, news.PostInput{Content: "kept", MediaIDs: []uuid.UUID{kept.ID}})
		if n, err := f.svc.SweepUploads(ctx); err != nil || n != 0 {
			t.Fatalf("swept %d too early: %v", n, err)
		}
		f.clock.Advance(news.UploadTTL + time.Minute)
		if n, err := f.svc.SweepUploads(ctx); err != nil || n != 1 {
			t.Fatalf("swept %d: %v", n, err)
		}
		if _, err := f.svc.Attachment(ctx, ada, left.ID); !errors.Is(err, news.ErrNoSuchAttachment) {
			t.Fatalf("the swept upload: %v", err)
		}
		if _, err := f.members.Media(ctx, mediaID(t, kept.URL)); err != nil {
			t.Fatalf("the attached image: %v", err)
		}
	})
}

// A remote note's attachments are kept as URLs, bounded: at most 8, with
// an http(s) URL of bounded length, descriptions as plain text; an Update
// replaces them.
func TestReceive_RemoteAttachments(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		zoe := f.remote(t, "zoe", "peer.example")
		var list []news.RemoteAttachment
		list = append(list,
			news.RemoteAttachment{URL: "javascript:alert(1)"},
			news.RemoteAttachment{URL: "https://peer.example/" + strings.Repeat("a", 3000)},
			news.RemoteAttachment{URL: "https://peer.example/0.jpg", MediaType: "image/jpeg", Name: "<b>a cat</b>", Width: 640, Height: 480, Blurhash: "LEHV6nWB2yk8"})
		for i := 1; i < 20; i++ {
			list = append(list, news.RemoteAttachment{URL: fmt.Sprintf("https://peer.example/%d.jpg", i)})
		}
		// The note mentions ada: it concerns someone here.
		n, err := f.svc.ReceiveCreate(ctx, zoe.URI, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: zoe.URI,
			Content: "<p>@ada cats</p>", To: []string{news.PublicCollection}, Attachments: list,
			Mentions: []news.Mention{{Href: base + "/actors/ada", Name: "@ada"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(n.Attachments) != news.MaxRemoteAttachments {
			t.Fatalf("kept %d attachments", len(n.Attachments))
		}
		a := n.Attachments[0]
		if a.Local || a.URL != "https://peer.example/0.jpg" || a.RemoteURL != a.URL || a.Description != "a cat" ||
			a.Width != 640 || a.Blurhash != "LEHV6nWB2yk8" {
			t.Fatalf("first attachment %+v", a)
		}
		got, err := f.svc.Get(ctx, nil, n.ID)
		if err != nil || len(got.Attachments) != news.MaxRemoteAttachments || got.Attachments[7].URL != "https://peer.example/7.jpg" {
			t.Fatalf("read back %+v %v", got.Attachments, err)
		}
		up, err := f.svc.ReceiveUpdate(ctx, zoe.URI, news.RemoteNote{URI: n.URI, AttributedTo: zoe.URI, Content: "<p>one cat</p>",
			To: []string{news.PublicCollection}, Attachments: list[2:3]})
		if err != nil || len(up.Attachments) != 1 {
			t.Fatalf("after the update %+v %v", up.Attachments, err)
		}
		if got, _ := f.svc.Get(ctx, nil, n.ID); len(got.Attachments) != 1 {
			t.Fatalf("read back after the update: %+v", got.Attachments)
		}
	})
}

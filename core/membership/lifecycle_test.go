package membership_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

func TestUpdateProfile_Fields(t *testing.T) {
	long := strings.Repeat("x", membership.MaxFieldValue+1)
	tests := []struct {
		name   string
		fields []membership.ProfileField
		want   []string          // names kept
		errs   map[string]string // field → code
		html   string            // HTML of the first field kept
	}{
		{"a link and a text", []membership.ProfileField{{Name: "Site", Value: "https://ada.example/a?b=1&c"}, {Name: "Motto", Value: "<b>bold</b>"}},
			[]string{"Site", "Motto"}, nil, `<a href="https://ada.example/a?b=1&amp;c" rel="me nofollow noopener noreferrer" target="_blank">ada.example/a?b=1&amp;c</a>`},
		{"empty lines dropped", []membership.ProfileField{{}, {Name: " Motto ", Value: " hi "}, {}}, []string{"Motto"}, nil, "hi"},
		{"not a link", []membership.ProfileField{{Name: "Site", Value: "javascript:alert(1)"}}, []string{"Site"}, nil, "javascript:alert(1)"},
		{"a value without a name", []membership.ProfileField{{Value: "orphan"}}, nil, map[string]string{"fields[0].name": "required"}, ""},
		{"too long", []membership.ProfileField{{Name: "a", Value: long}}, nil, map[string]string{"fields[0].value": "too-long"}, ""},
		{"too many", []membership.ProfileField{{Name: "1", Value: "1"}, {Name: "2", Value: "2"}, {Name: "3", Value: "3"}, {Name: "4", Value: "4"}, {Name: "5", Value: "5"}},
			nil, map[string]string{"fields": "too-many-fields"}, ""},
	}
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.UpdateProfile(ctx, ada, membership.ProfileChange{Fields: &tt.fields})
				if tt.errs != nil {
					got := fieldCodes(err)
					for k, v := range tt.errs {
						if got[k] != v {
							t.Fatalf("errors %v, want %v", got, tt.errs)
						}
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				a, _ := f.svc.LocalActor(ctx, "ada")
				var names []string
				for _, fl := range a.Fields {
					names = append(names, fl.Name)
				}
				if strings.Join(names, ",") != strings.Join(tt.want, ",") || a.Fields[0].HTML != strings.ReplaceAll(tt.html, "<b>", "&lt;b&gt;") && a.Fields[0].HTML != tt.html {
					t.Fatalf("fields %+v", a.Fields)
				}
			})
		}
	})
}

func encode(t *testing.T, format string, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withOrientation inserts an EXIF segment saying orientation o after the
// JPEG's start marker.
func withOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01")
	entry := make([]byte, 12)
	binary.BigEndian.PutUint16(entry[0:], 0x0112)
	binary.BigEndian.PutUint16(entry[2:], 3)
	binary.BigEndian.PutUint32(entry[4:], 1)
	binary.BigEndian.PutUint16(entry[8:], o)
	tiff = append(append(tiff, entry...), 0, 0, 0, 0)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func TestNormalizeAvatar(t *testing.T) {
	// A 300×100 image: red on the left third, blue elsewhere.
	wide := image.NewRGBA(image.Rect(0, 0, 300, 100))
	for y := range 100 {
		for x := range 300 {
			c := color.RGBA{0, 0, 255, 255}
			if x < 100 {
				c = color.RGBA{255, 0, 0, 255}
			}
			wide.Set(x, y, c)
		}
	}
	big := image.NewRGBA(image.Rect(0, 0, 2048, 1000))
	tests := []struct {
		name      string
		data      []byte
		err       error
		typ       string
		w, h      int
		redAtTop  bool // after turning: the red third is at the top
		redAtLeft bool
	}{
		{"PNG kept as PNG", encode(t, "png", wide), nil, "image/png", 300, 100, false, true},
		{"JPEG kept as JPEG", encode(t, "jpeg", wide), nil, "image/jpeg", 300, 100, false, true},
		{"scaled down to fit 1024", encode(t, "png", big), nil, "image/png", 1024, 500, false, false},
		{"EXIF orientation 6 applied", withOrientation(encode(t, "jpeg", wide), 6), nil, "image/jpeg", 100, 300, true, false},
		{"EXIF orientation 3 applied", withOrientation(encode(t, "jpeg", wide), 3), nil, "image/jpeg", 300, 100, false, false},
		{"not an image", []byte("hello"), membership.ErrAvatarFormat, "", 0, 0, false, false},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), membership.ErrAvatarFormat, "", 0, 0, false, false},
		{"over 2 MiB", make([]byte, membership.MaxAvatarBytes+1), membership.ErrAvatarTooLarge, "", 0, 0, false, false},
		{"claims 100 megapixels", pngHeader(10000, 10000), membership.ErrAvatarTooLarge, "", 0, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := membership.NormalizeAvatar(tt.data)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			decoded, format, err := image.Decode(bytes.NewReader(img.Data))
			if err != nil || "image/"+format != tt.typ || img.ContentType != tt.typ {
				t.Fatalf("%s / %s (%v), want %s", img.ContentType, format, err, tt.typ)
			}
			if b := decoded.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h || img.Width != tt.w || img.Height != tt.h {
				t.Fatalf("%v, want %dx%d", b, tt.w, tt.h)
			}
			if bytes.Contains(img.Data, []byte("Exif")) {
				t.Fatal("EXIF kept")
			}
			red := func(x, y int) bool { r, _, b, _ := decoded.At(x, y).RGBA(); return r > 0xC000 && b < 0x4000 }
			if tt.redAtTop && !(red(tt.w/2, 10) && !red(tt.w/2, tt.h-10)) {
				t.Fatal("not turned: the red part is not at the top")
			}
			if tt.redAtLeft && !(red(10, tt.h/2) && !red(tt.w-10, tt.h/2)) {
				t.Fatal("the red part is not at the left")
			}
		})
	}
}

// pngHeader is the start of a PNG claiming w×h pixels, with no pixels.
func pngHeader(w, h uint32) []byte {
	chunk := []byte("IHDR")
	chunk = binary.BigEndian.AppendUint32(chunk, w)
	chunk = binary.BigEndian.AppendUint32(chunk, h)
	chunk = append(chunk, 8, 6, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func TestRotateKey_AdminsOnlyKeepsTheKeyID(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		before, _ := f.svc.LocalActor(ctx, "ada")
		_, oldKey, _ := f.svc.SigningKey(ctx, "ada")
		tests := []struct {
			by   membership.Account
			name string
			err  error
		}{
			{ada, "ada", membership.ErrNotAllowed},
			{membership.Operator, "nobody", membership.ErrNoSuchActor},
			{membership.Operator, "ada", nil},
		}
		for _, tt := range tests {
			a, err := f.svc.RotateKey(ctx, tt.by, tt.name)
			if !errors.Is(err, tt.err) {
				t.Fatalf("%s by %s: %v, want %v", tt.name, tt.by.Username, err, tt.err)
			}
			if err == nil && (a.KeyID != before.KeyID || a.PublicKeyPEM == before.PublicKeyPEM) {
				t.Fatalf("rotated: %s → %s", before.KeyID, a.KeyID)
			}
		}
		keyID, newKey, err := f.svc.SigningKey(ctx, "ada")
		if err != nil || keyID != before.KeyID || newKey.Equal(oldKey) {
			t.Fatalf("SigningKey after the rotation: %s, same key %v (%v)", keyID, newKey.Equal(oldKey), err)
		}
	})
}

func TestDeleteAccount_Rules(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		root, _ := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org", Password: "long enough pw"}, membership.RoleAdmin)
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		if _, err := f.svc.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			del  func() error
			code string
		}{
			{"a person may not delete another", func() error { return f.svc.DeleteAccount(ctx, bob, "ada") }, "not-allowed"},
			{"the last board member stays", func() error { return f.svc.DeleteAccount(ctx, root, "ada") }, "last-board-member"},
			{"the last administrator stays", func() error { return f.svc.DeleteOwnAccount(ctx, root, "long enough pw") }, "last-admin"},
			{"the password confirms", func() error { return f.svc.DeleteOwnAccount(ctx, bob, "wrong") }, "invalid-input"},
			{"a member may go", func() error { return f.svc.DeleteOwnAccount(ctx, bob, "correct horse battery") }, ""},
			{"once", func() error { return f.svc.DeleteAccount(ctx, root, "bob") }, "account-not-found"},
		}
		for _, tt := range tests {
			err := tt.del()
			if tt.code == "" {
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				continue
			}
			wantCode(t, err, tt.code)
		}
		if n, _ := f.svc.MemberCount(ctx, mustAssociation(t, f, "commons").ID); n != 1 {
			t.Fatalf("commons has %d members after bob left", n)
		}
		if _, err := f.svc.LogIn(ctx, "bob", "correct horse battery", "192.0.2.1"); !errors.Is(err, membership.ErrBadCredentials) {
			t.Fatalf("the deleted account logs in: %v", err)
		}
		if _, err := f.svc.LocalActor(ctx, "bob"); !errors.Is(err, membership.ErrActorDeleted) {
			t.Fatalf("bob's actor: %v", err)
		}
		// With no delivery left, the key goes.
		if s, err := f.svc.Sweep(ctx); err != nil || s.DeletedKeys != 1 {
			t.Fatalf("sweep: %+v %v", s, err)
		}
	})
}

func mustAssociation(t *testing.T, f fixture, name string) membership.Association {
	t.Helper()
	a, err := f.svc.Association(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A remote actor that deletes itself leaves tombstones, no follows and no
// likes; it is never revived by a document, and nothing happens twice.
func TestReceiveActorDelete(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.svc.UsePublisher(&publications{})
		ada := f.account(t, "ada")
		notes := news.New(f.db, f.clock, news.Policy{BaseURL: "http://127.0.0.1:8080"})
		notes.UsePublisher(nopNotes{})
		_, pub, _ := membership.GenerateKeyPair()
		zoe := membership.RemoteActor{URI: "https://peer.example/users/zoe", Kind: "Person", Username: "zoe",
			Inbox: "https://peer.example/users/zoe/inbox", KeyID: "https://peer.example/users/zoe#main-key", PublicKeyPEM: pub, Document: "{}"}
		if _, err := f.svc.SaveRemoteActor(ctx, zoe); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ReceiveFollow(ctx, zoe.URI, "http://127.0.0.1:8080/actors/ada", "https://peer.example/follows/1"); err != nil {
			t.Fatal(err)
		}
		post, err := notes.Post(ctx, ada, news.PostInput{Content: "hello"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := notes.ReceiveCreate(ctx, zoe.URI, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: zoe.URI,
			Content: "<p>mine</p>", To: []string{"http://127.0.0.1:8080/actors/ada"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := notes.ReceiveReaction(ctx, zoe.URI, post.URI, "https://peer.example/likes/1", news.Like); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := f.svc.ReceiveActorDelete(ctx, zoe.URI); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.ReceiveActorDelete(ctx, "https://peer.example/users/unknown"); err != nil {
			t.Fatalf("an unknown actor: %v", err)
		}
		if n, _ := f.svc.FollowerCount(ctx, "ada"); n != 0 {
			t.Fatalf("ada keeps %d followers", n)
		}
		if n, _, _ := notes.Reactions(ctx, post.ID); n != 0 {
			t.Fatalf("the note keeps %d likes", n)
		}
		if n, _ := notes.ByURI(ctx, theirs.URI); n.Deleted == nil || n.Content != "" {
			t.Fatalf("their note: %+v", n)
		}
		if _, err := f.svc.SaveRemoteActor(ctx, zoe); !errors.Is(err, membership.ErrActorDeleted) {
			t.Fatalf("revived by its document: %v", err)
		}
	})
}

// nopNotes accepts news' publications.
type nopNotes struct{}

func (nopNotes) Publish(context.Context, store.Tx, news.Publication) error { return nil }

// An older document does not overwrite a newer one: Updates may arrive out
// of order.
func TestSaveRemoteActor_KeepsTheNewerDocument(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		_, pub, _ := membership.GenerateKeyPair()
		at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		save := func(name string, updated time.Time) {
			t.Helper()
			if _, err := f.svc.SaveRemoteActor(ctx, membership.RemoteActor{URI: "https://peer.example/users/zoe", Kind: "Person", Username: "zoe",
				DisplayName: name, Updated: updated, Inbox: "https://peer.example/users/zoe/inbox",
				KeyID: "https://peer.example/users/zoe#main-key", PublicKeyPEM: pub, Document: "{}"}); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name    string
			updated time.Time
			want    string
		}{
			{"first", at, "first"},
			{"newer", at.Add(time.Microsecond), "newer"},
			{"older", at, "newer"},
			{"undated", time.Time{}, "undated"},
		}
		for _, tt := range tests {
			save(tt.name, tt.updated)
			a, _ := f.svc.ActorByURI(ctx, "https://peer.example/users/zoe")
			if a.DisplayName != tt.want {
				t.Fatalf("after %s: %q, want %q", tt.name, a.DisplayName, tt.want)
			}
		}
	})
}

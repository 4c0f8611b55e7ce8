package pages_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/net/html"

	"github.com/holon-network/holon/web/webtest"
)

// upload posts a multipart form with one file, as a browser does.
func (b *browser) upload(path, field string, data []byte) *page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, "picture.png")
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, b.in.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	p := &page{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		p.doc, _ = html.Parse(strings.NewReader(p.Body))
	}
	return p
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), 90, uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// profileForm is the settings' profile form with fields.
func profileForm(fields ...string) url.Values {
	v := url.Values{"action": {"profile"}, "display_name": {"Bob B."}, "email": {"bob@example.org"}, "locale": {"en"}}
	for i := 0; i+1 < len(fields); i += 2 {
		n := string(rune('0' + i/2))
		v.Set("fields["+n+"].name", fields[i])
		v.Set("fields["+n+"].value", fields[i+1])
	}
	return v
}

// A person fills in profile fields and uploads an avatar from the settings
// page; the profile page shows them. Then the person deletes the account:
// logged out, the profile is gone.
func TestSettings_ProfileFieldsAvatarAndDeletion(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		bob := newBrowser(t, in)
		bob.signUp("bob")
		bob.post("/settings", profileForm("Site", "https://bob.example", "Pronouns", "he/him")).redirectsTo(t, "/settings?done=profile")
		refused := bob.post("/settings", profileForm("", "an orphan value"))
		if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, `id="fields[0].name-error"`) {
			t.Fatalf("a value without a name: %d", refused.Status)
		}
		bob.upload("/settings/avatar", "avatar", pngBytes(t, 1500, 300)).redirectsTo(t, "/settings?done=avatar")
		if p := bob.upload("/settings/avatar", "avatar", []byte("not an image")); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "PNG or JPEG") {
			t.Fatalf("not an image: %d", p.Status)
		}

		profile := newBrowser(t, in).get("/@bob")
		for _, want := range []string{`<dt>Site</dt>`, `href="https://bob.example"`, `<dd>he/him</dd>`, `class="avatar" id="avatar" src="` + in.Config.BaseURL() + `/media/`} {
			if !strings.Contains(profile.Body, want) {
				t.Errorf("the profile page lacks %s", want)
			}
		}
		actor, _ := in.Members.LocalActor(context.Background(), "bob")
		id, err := uuid.Parse(actor.IconURL[strings.LastIndex(actor.IconURL, "/")+1:])
		if err != nil {
			t.Fatalf("avatar URL %q: %v", actor.IconURL, err)
		}
		img, err := in.Members.Media(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img.Data))
		if err != nil || cfg.Width != 1024 || cfg.Height != 204 {
			t.Fatalf("the avatar is %dx%d (%v), want 1024x204", cfg.Width, cfg.Height, err)
		}

		if p := bob.post("/settings", url.Values{"action": {"delete-account"}, "delete_password": {"wrong"}}); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `id="delete_password-error"`) {
			t.Fatalf("deleted with a wrong password: %d", p.Status)
		}
		bob.post("/settings", url.Values{"action": {"delete-account"}, "delete_password": {password}}).redirectsTo(t, "/")
		if p := bob.get("/settings"); p.Status != http.StatusSeeOther {
			t.Fatalf("still logged in: %d", p.Status)
		}
		if p := newBrowser(t, in).get("/@bob"); p.Status != http.StatusNotFound {
			t.Fatalf("the profile of a deleted account: %d", p.Status)
		}
	})
}

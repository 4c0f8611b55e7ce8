package mastodon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/web/webtest"
)

// send sends a request with the token (none when empty) and returns the
// status and the body.
func send(t *testing.T, in *webtest.Instance, token, method, path, contentType string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, in.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// form is a multipart form: fields, and the file when data is not nil.
func form(t *testing.T, data []byte, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if err := mw.WriteField(k, fields[k]); err != nil {
			t.Fatal(err)
		}
	}
	if data != nil {
		fw, err := mw.CreateFormFile("file", "picture.png")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: 200, G: uint8(x * 30), B: uint8(y * 30), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decodeMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	return v
}

// keys are the keys of a JSON object.
func keys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// An upload answers Mastodon's MediaAttachment (the shape of the docs'
// example, text_url aside: Mastodon 4 dropped it), at once with its url;
// it is described, read and changed by its uploader only; a note carries
// it, and then it shows in the status, in the outgoing Note as Mastodon
// writes an image, and no longer as an upload.
func TestMedia_UploadDescribeAttach(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaTokenClient := person(t, in, "ada")
		adaToken := adaTokenClient.token
		_, bobTokenClient := person(t, in, "bob")
		bobToken := bobTokenClient.token
		ct, body := form(t, pngImage(t, 6, 4), map[string]string{"description": "A red field", "focus": "0.5,-0.25"})
		status, b := send(t, in, adaToken, http.MethodPost, "/api/v2/media", ct, body)
		if status != http.StatusOK {
			t.Fatalf("upload: %d %s", status, b)
		}
		got := decodeMap(t, b)
		example, err := os.ReadFile(filepath.Join("testdata", "mastodon_media_attachment.json"))
		if err != nil {
			t.Fatal(err)
		}
		want := decodeMap(t, example)
		delete(want, "text_url")
		if !slices.Equal(keys(got), keys(want)) {
			t.Errorf("keys %v, Mastodon's %v", keys(got), keys(want))
		}
		meta, _ := got["meta"].(map[string]any)
		wantMeta, _ := want["meta"].(map[string]any)
		if meta == nil || !slices.Equal(keys(meta), keys(wantMeta)) {
			t.Errorf("meta %v, Mastodon's keys %v", meta, keys(wantMeta))
		}
		original, _ := meta["original"].(map[string]any)
		if !slices.Equal(keys(original), keys(wantMeta["original"].(map[string]any))) ||
			original["width"] != 6.0 || original["height"] != 4.0 || original["size"] != "6x4" || original["aspect"] != 1.5 {
			t.Errorf("meta.original %v", original)
		}
		if focus, _ := meta["focus"].(map[string]any); focus["x"] != 0.5 || focus["y"] != -0.25 {
			t.Errorf("meta.focus %v", meta["focus"])
		}
		mediaURL, _ := got["url"].(string)
		if got["type"] != "image" || !strings.HasPrefix(mediaURL, in.Config.BaseURL()+"/media/") || got["preview_url"] != mediaURL ||
			got["remote_url"] != nil || got["description"] != "A red field" || got["blurhash"] != nil {
			t.Errorf("upload %s", b)
		}
		id, _ := got["id"].(string)
		if resp, err := http.Get(mediaURL); err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s: %v %v", mediaURL, resp, err)
		}

		// The legacy route uploads too.
		ct, body = form(t, pngImage(t, 2, 2), nil)
		if status, b := send(t, in, adaToken, http.MethodPost, "/api/v1/media", ct, body); status != http.StatusOK || decodeMap(t, b)["description"] != nil {
			t.Fatalf("v1 upload: %d %s", status, b)
		}

		// Another's upload is not found.
		for _, tt := range []struct {
			token, method string
			status        int
		}{
			{adaToken, http.MethodGet, http.StatusOK},
			{bobToken, http.MethodGet, http.StatusNotFound},
			{bobToken, http.MethodPut, http.StatusNotFound},
			{"", http.MethodGet, http.StatusUnauthorized},
		} {
			status, b := send(t, in, tt.token, tt.method, "/api/v1/media/"+id, "application/x-www-form-urlencoded", strings.NewReader("description=mine"))
			if status != tt.status || (status == http.StatusNotFound && string(b) != `{"error":"Record not found"}`+"\n") {
				t.Errorf("%s by %q: %d %s", tt.method, tt.token, status, b)
			}
		}
		status, b = send(t, in, adaToken, http.MethodPut, "/api/v1/media/"+id, "application/json", strings.NewReader(`{"description":"A red field at dawn"}`))
		if got := decodeMap(t, b); status != http.StatusOK || got["description"] != "A red field at dawn" ||
			got["meta"].(map[string]any)["focus"].(map[string]any)["x"] != 0.5 {
			t.Fatalf("describe: %d %s", status, b)
		}

		// A note carries it (statuses are posted by another part of the
		// adapter; news is what it calls).
		n, err := in.News.Post(ctx, ada, news.PostInput{Content: "Dawn", MediaIDs: []uuid.UUID{uuid.MustParse(id)}})
		if err != nil {
			t.Fatal(err)
		}
		if status, _ := send(t, in, adaToken, http.MethodGet, "/api/v1/media/"+id, "", nil); status != http.StatusNotFound {
			t.Errorf("an attached upload: %d", status)
		}
		status, b = send(t, in, adaToken, http.MethodGet, "/api/v2/search?q="+url.QueryEscape(n.URI), "", nil)
		var found struct {
			Statuses []struct {
				ID               string           `json:"id"`
				MediaAttachments []map[string]any `json:"media_attachments"`
			} `json:"statuses"`
		}
		if err := json.Unmarshal(b, &found); err != nil || status != http.StatusOK || len(found.Statuses) != 1 {
			t.Fatalf("search the note: %d %s", status, b)
		}
		if atts := found.Statuses[0].MediaAttachments; len(atts) != 1 || atts[0]["id"] != id || atts[0]["url"] != mediaURL ||
			atts[0]["description"] != "A red field at dawn" || atts[0]["remote_url"] != nil {
			t.Errorf("status media_attachments %v", atts)
		}

		// only_media keeps it, and leaves a note without images out.
		if _, err := in.News.Post(ctx, ada, news.PostInput{Content: "No picture today"}); err != nil {
			t.Fatal(err)
		}
		adaActor := mustActor(t, in, "ada")
		for _, q := range []string{"/api/v1/timelines/public?only_media=true", "/api/v1/accounts/" + adaActor.ID.String() + "/statuses?only_media=true"} {
			status, b := send(t, in, "", http.MethodGet, q, "", nil)
			var list []struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(b, &list); err != nil || status != http.StatusOK || len(list) != 1 || list[0].ID != n.ID.String() {
				t.Errorf("%s: %d %s", q, status, b)
			}
		}

		// On the wire, as Mastodon writes an image (it adds a blurhash,
		// which Holon does not compute).
		doc, err := json.Marshal(federation.NoteDocument(n, in.Config.BaseURL()))
		if err != nil {
			t.Fatal(err)
		}
		var note, mastodonNote struct {
			Attachment []map[string]any `json:"attachment"`
		}
		if err := json.Unmarshal(doc, &note); err != nil {
			t.Fatal(err)
		}
		fixture, err := os.ReadFile(filepath.Join(fixtures.Dir(t), "mastodon-note-object-2.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(fixture, &mastodonNote); err != nil {
			t.Fatal(err)
		}
		mastodonKeys := slices.DeleteFunc(keys(mastodonNote.Attachment[0]), func(k string) bool { return k == "blurhash" })
		if len(note.Attachment) != 1 || !slices.Equal(keys(note.Attachment[0]), mastodonKeys) {
			t.Fatalf("attachment %v, Mastodon's keys %v", note.Attachment, mastodonKeys)
		}
		if a := note.Attachment[0]; a["type"] != "Document" || a["mediaType"] != "image/png" || a["url"] != mediaURL ||
			a["name"] != "A red field at dawn" || a["width"] != 6.0 || a["height"] != 4.0 {
			t.Errorf("attachment %v", a)
		}
	})
}

// Uploads out of bounds are refused as Mastodon refuses them: 422 with an
// error, 413 for a body over the bound, 401 without a token.
func TestMedia_UploadRefusals(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		_, tokenClient := person(t, in, "ada")
		token := tokenClient.token
		tests := []struct {
			name   string
			token  string
			data   []byte
			fields map[string]string
			status int
		}{
			{"not an image", token, []byte("%PDF-1.4 not an image"), nil, http.StatusUnprocessableEntity},
			{"no file", token, nil, map[string]string{"description": "nothing"}, http.StatusUnprocessableEntity},
			{"image too large", token, append(pngImage(t, 2, 2), make([]byte, membership.MaxImageBytes)...), nil, http.StatusUnprocessableEntity},
			{"body too large", token, make([]byte, membership.MaxImageBytes+1<<20), nil, http.StatusRequestEntityTooLarge},
			{"long description", token, pngImage(t, 2, 2), map[string]string{"description": strings.Repeat("a", news.MaxDescriptionLength+1)}, http.StatusUnprocessableEntity},
			{"bad focus", token, pngImage(t, 2, 2), map[string]string{"focus": "2,0"}, http.StatusUnprocessableEntity},
			{"no token", "", pngImage(t, 2, 2), nil, http.StatusUnauthorized},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ct, body := form(t, tt.data, tt.fields)
				status, b := send(t, in, tt.token, http.MethodPost, "/api/v2/media", ct, body)
				if status != tt.status {
					t.Fatalf("%d %s", status, b)
				}
				if e, _ := decodeMap(t, b)["error"].(string); e == "" {
					t.Errorf("no error message: %s", b)
				}
			})
		}
		// Not multipart at all.
		if status, b := send(t, in, token, http.MethodPost, "/api/v2/media", "application/json", strings.NewReader(`{}`)); status != http.StatusUnprocessableEntity {
			t.Errorf("JSON body: %d %s", status, b)
		}
	})
}

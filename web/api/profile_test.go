package api_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

func encodedImage(t *testing.T, format string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 3), 90, 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestAccountProfile_FieldsAndAvatar(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, token := e.person("ada")
		var me map[string]any
		e.get("/accounts/me", token).ok(t, http.StatusOK, "Account", &me)
		if fields, _ := me["fields"].([]any); len(fields) != 0 || me["avatar_url"] != nil {
			t.Fatalf("a new account: %v", me)
		}

		e.patch("/accounts/me", token, `{"display_name": "Ada L.", "fields": [{"name": "Site", "value": "https://ada.example"}, {"name": "", "value": ""}]}`).
			ok(t, http.StatusOK, "Account", &me)
		fields, _ := me["fields"].([]any)
		if me["display_name"] != "Ada L." || len(fields) != 1 || fields[0].(map[string]any)["value"] != "https://ada.example" {
			t.Fatalf("after the change: %v", me)
		}
		bad := e.patch("/accounts/me", token, `{"fields": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}, {"name": "c", "value": "3"}, {"name": "d", "value": "4"}, {"name": "e", "value": "5"}]}`)
		sameFields(t, bad.problem(t, http.StatusBadRequest, "invalid-input"), map[string]string{"fields": "too-many-fields"})
		bad = e.patch("/accounts/me", token, `{"fields": [{"name": "", "value": "no name"}, {"name": "`+strings.Repeat("n", 51)+`", "value": "x"}]}`)
		sameFields(t, bad.problem(t, http.StatusBadRequest, "invalid-input"), map[string]string{"fields[0].name": "required", "fields[1].name": "too-long"})

		tests := []struct {
			name, contentType, body string
			status                  int
			code                    string
		}{
			{"a PNG", "image/png", encodedImage(t, "png", 40, 30), http.StatusOK, ""},
			{"a JPEG", "image/jpeg", encodedImage(t, "jpeg", 40, 30), http.StatusOK, ""},
			{"JSON", "application/json", `{}`, http.StatusUnsupportedMediaType, "unsupported-media-type"},
			{"not an image", "image/png", "GIF89a not really", http.StatusBadRequest, "avatar-format"},
			{"a GIF sent as PNG", "image/png", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", http.StatusBadRequest, "avatar-format"},
			{"over 2 MiB", "image/png", strings.Repeat("x", 2<<20+1), http.StatusRequestEntityTooLarge, "avatar-too-large"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(request{method: http.MethodPut, path: "/accounts/me/avatar", token: token, body: tt.body, contentType: tt.contentType})
				if tt.code != "" {
					r.problem(t, tt.status, tt.code)
					return
				}
				var got map[string]any
				r.ok(t, tt.status, "Account", &got)
				avatar, _ := got["avatar_url"].(string)
				if !strings.HasPrefix(avatar, e.Config.BaseURL()+"/media/") {
					t.Fatalf("avatar_url %v", got["avatar_url"])
				}
				res, err := http.Get(strings.Replace(avatar, e.Config.BaseURL(), e.URL, 1))
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 || res.Header.Get("Content-Type") != tt.contentType {
					t.Fatalf("media: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
				}
			})
		}
	})
}

func TestAssociationAvatar_BoardOnly(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		e.association(ada, "commons")
		e.join(bob, "commons")
		img := encodedImage(t, "png", 20, 20)
		e.do(request{method: http.MethodPut, path: "/associations/commons/avatar", token: bobToken, body: img, contentType: "image/png"}).
			problem(t, http.StatusForbidden, "board-only")
		e.do(request{method: http.MethodPut, path: "/associations/nowhere/avatar", token: adaToken, body: img, contentType: "image/png"}).
			problem(t, http.StatusNotFound, "association-not-found")
		var a map[string]any
		e.do(request{method: http.MethodPut, path: "/associations/commons/avatar", token: adaToken, body: img, contentType: "image/png"}).
			ok(t, http.StatusOK, "Association", &a)
		if url, _ := a["avatar_url"].(string); !strings.HasPrefix(url, e.Config.BaseURL()+"/media/") {
			t.Fatalf("association %v", a)
		}
		e.patch("/associations/commons", adaToken, `{"fields": [{"name": "Statutes", "value": "https://commons.example/statutes"}]}`).
			ok(t, http.StatusOK, "Association", &a)
		if fields, _ := a["fields"].([]any); len(fields) != 1 {
			t.Fatalf("association %v", a)
		}
	})
}

func TestDeleteMe(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		_, bobToken := e.person("bob")
		e.association(ada, "commons")
		sameFields(t, e.do(request{method: http.MethodDelete, path: "/accounts/me", token: bobToken, body: `{"password": "wrong"}`}).
			problem(t, http.StatusBadRequest, "invalid-input"), map[string]string{"password": "wrong-password"})
		e.do(request{method: http.MethodDelete, path: "/accounts/me", token: adaToken, body: `{"password": "correct horse battery"}`}).
			problem(t, http.StatusConflict, "last-board-member")
		e.do(request{method: http.MethodDelete, path: "/accounts/me", token: bobToken, body: `{"password": "correct horse battery"}`}).
			ok(t, http.StatusNoContent, "", nil)
		e.get("/accounts/me", bobToken).problem(t, http.StatusUnauthorized, "unauthenticated")
	})
}

package pages

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

//go:embed static
var staticFS embed.FS

// assetPrefix is where static files are served.
const assetPrefix = "/static/"

// assets serves the embedded static files under names that carry a hash of
// their content ("holon.1a2b3c4d5e6f.css"), so that browsers may keep them
// for a year and still see a new version at once.
type assets struct {
	byName map[string]asset // by hashed name
	urls   map[string]string
}

type asset struct {
	body []byte
	etag string
	kind string
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:6])
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		kind := mime.TypeByExtension(ext)
		if kind == "" {
			kind = "application/octet-stream"
		}
		a.byName[hashed] = asset{body: body, etag: `"` + hash + `"`, kind: kind}
		a.urls[name] = assetPrefix + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return a, nil
}

// url returns the address of the static file name ("holon.css").
func (a *assets) url(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return assetPrefix + name // never served: a test catches it
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) bool {
	f, ok := a.byName[chi.URLParam(r, "file")]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", f.kind)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	return true
}

package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// CacheControl lets readers and shared caches keep a feed five minutes: a
// feed is the same for everyone (what anyone may read), and readers poll.
const CacheControl = "public, max-age=300"

// Serve answers r with f in format, with an ETag (the body's hash) and
// Last-Modified (f's last change), so that http.ServeContent answers a
// reader's conditional request with 304 Not Modified. It returns the
// error of writing f before anything is sent, for the caller to answer.
func Serve(w http.ResponseWriter, r *http.Request, f Feed, format Format) error {
	body, err := Marshal(f, format)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", format.ContentType())
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	h.Set("Cache-Control", CacheControl)
	http.ServeContent(w, r, "", f.updated(), bytes.NewReader(body))
	return nil
}

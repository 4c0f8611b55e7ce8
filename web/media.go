package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// MediaStore is what serving media needs of the membership service.
type MediaStore interface {
	Media(ctx context.Context, id uuid.UUID) (membership.Media, error)
}

// serveMedia answers GET /media/{id}: a stored image (avatars), with its
// content type. Media never change (a new image is a new id), so they are
// cached for a year by browsers and peers alike.
func serveMedia(m MediaStore) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := uuid.Parse(chi.URLParam(r, "id"))
		if err != nil {
			http.Error(w, "no such image", http.StatusNotFound)
			return
		}
		etag := `"` + id.String() + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		media, err := m.Media(r.Context(), id)
		switch {
		case core.KindOf(err) == core.KindNotFound:
			http.Error(w, "no such image", http.StatusNotFound)
			return
		case err != nil:
			hlog.FromRequest(r).Error().Err(err).Msg("serve media")
			http.Error(w, "image unavailable", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", media.ContentType)
		h.Set("Content-Length", strconv.Itoa(len(media.Data)))
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", etag)
		// Served from the instance's origin: never run as a document.
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(media.Data)
	}
}

package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"

	"github.com/holon-network/holon/web/problem"
)

// accessLog logs one line per request. It logs the path without the query
// (which may hold secrets such as OAuth codes) and never logs headers.
func accessLog(next http.Handler) http.Handler {
	return hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
		ev := hlog.FromRequest(r).Info()
		if status >= 500 {
			ev = hlog.FromRequest(r).Error()
		}
		ev.Str("method", r.Method).Str("path", r.URL.Path).Int("status", status).
			Int("bytes", size).Dur("duration", d).Msg("request")
	})(next)
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				hlog.FromRequest(r).Error().Str("panic", fmt.Sprint(v)).Bytes("stack", debug.Stack()).Msg("handler panicked")
				problem.Write(w, problem.From(fmt.Errorf("panic: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every answer carries. The content
// security policy allows only the instance's own scripts, styles and images.
func securityHeaders(https bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if https {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// limitBody caps every request body; reading past the cap fails with an
// *http.MaxBytesError, which handlers answer with 413. A body announced as
// too large is refused before it is read. Avatar uploads may be larger
// than the configured cap, up to their own bound.
func limitBody(limit int64, refuse func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			bound := limit
			if isAvatarUpload(r) {
				bound = max(limit, avatarUploadBytes)
			}
			if isMediaUpload(r) {
				bound = max(limit, mediaUploadBytes)
			}
			if r.ContentLength > bound {
				refuse(w, r, core.New(core.KindTooLarge, "too-large", fmt.Sprintf("the request body is over the limit of %d bytes", bound)))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, bound)
			next.ServeHTTP(w, r)
		})
	}
}

// avatarUploadBytes bounds an avatar upload: the image, and the envelope
// of a form that carries it.
const avatarUploadBytes = membership.MaxAvatarBytes + 64<<10

// mediaUploadBytes bounds an upload of an image for a status (Mastodon's
// POST /api/v1/media and /api/v2/media): the image and its form.
const mediaUploadBytes = membership.MaxImageBytes + 64<<10

// isMediaUpload reports whether r uploads an image for a status.
func isMediaUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/api/v1/media" || r.URL.Path == "/api/v2/media")
}

// isAvatarUpload reports whether r sends an avatar: PUT .../avatar in the
// API, POST .../avatar from the settings pages.
func isAvatarUpload(r *http.Request) bool {
	return (r.Method == http.MethodPut || r.Method == http.MethodPost) && strings.HasSuffix(r.URL.Path, "/avatar")
}

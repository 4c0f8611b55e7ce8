package mastodon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// Bounds on an upload request: the image (membership.MaxImageBytes) and
// room for the other fields; the text fields are read up to a few times
// their limit, so that a longer one is refused rather than cut.
const (
	maxUploadBody    = membership.MaxImageBytes + 64<<10
	maxUploadField   = 16 << 10
	maxUploadParts   = 8
	descriptionLimit = news.MaxDescriptionLength
)

// Mastodon's error messages of uploads.
const (
	errFileMissing  = "Validation failed: File can't be blank"
	errFileType     = "File type of uploaded media could not be verified"
	errBodyTooLarge = "Request entity too large"
)

// metaImageJSON is the size of an image in a MediaAttachment's meta.
type metaImageJSON struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

type focusJSON struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// metaJSON is a MediaAttachment's meta: the sizes when they are known,
// and the focal point.
type metaJSON struct {
	Original *metaImageJSON `json:"original,omitempty"`
	Small    *metaImageJSON `json:"small,omitempty"`
	Focus    *focusJSON     `json:"focus,omitempty"`
}

// attachmentOf maps an attachment to Mastodon's MediaAttachment. A local
// image is served in one size: preview_url is the same URL. A remote one
// is only pointed at: url and remote_url both name it (Mastodon would
// serve a cached copy at url; Holon never fetches it).
func attachmentOf(a news.Attachment) attachmentJSON {
	out := attachmentJSON{ID: a.ID.String(), Type: attachmentType(a.MediaType), URL: &a.URL, PreviewURL: &a.URL}
	if !a.Local {
		out.RemoteURL = &a.RemoteURL
	}
	if a.Description != "" {
		out.Description = &a.Description
	}
	if a.Blurhash != "" {
		out.Blurhash = &a.Blurhash
	}
	meta := metaJSON{Focus: &focusJSON{X: a.FocusX, Y: a.FocusY}}
	if a.Width > 0 && a.Height > 0 {
		size := &metaImageJSON{Width: a.Width, Height: a.Height, Size: fmt.Sprintf("%dx%d", a.Width, a.Height),
			Aspect: float64(a.Width) / float64(a.Height)}
		meta.Original, meta.Small = size, size
	}
	out.Meta = meta
	return out
}

// attachmentType is Mastodon's type of an attachment of the media type
// mt. A remote note may carry any kind of file; Holon uploads images only.
func attachmentType(mt string) string {
	switch {
	case strings.HasPrefix(mt, "image/"):
		return "image"
	case strings.HasPrefix(mt, "video/"):
		return "video"
	case strings.HasPrefix(mt, "audio/"):
		return "audio"
	case mt == "":
		return "image" // a Document without a media type is, in practice, an image
	}
	return "unknown"
}

// attachmentsOf maps the images a note carries; it is what statusOf fills
// media_attachments with.
func (h *handlers) attachmentsOf(n news.Note) []attachmentJSON {
	out := make([]attachmentJSON, 0, len(n.Attachments))
	for _, a := range n.Attachments {
		out = append(out, attachmentOf(a))
	}
	return out
}

// uploadMedia answers POST /api/v2/media and POST /api/v1/media: a
// multipart form with the image (file) and optionally its description and
// focus ("x,y"). Mastodon processes uploads later and answers 202 with
// url null; Holon re-encodes the image at once, so both routes answer 200
// with the url set.
func (h *handlers) uploadMedia(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:media")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	in, err := readUpload(r)
	if err != nil {
		h.failMedia(w, r, err)
		return
	}
	a, err := h.news.Upload(r.Context(), acc, in)
	if err != nil {
		h.failMedia(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, attachmentOf(a))
}

// errUpload is a malformed upload request, answered 422 with its message.
type errUpload string

func (e errUpload) Error() string { return string(e) }

// readUpload reads the parts of an upload form, each bounded, without
// spilling to disk as ParseMultipartForm would.
func readUpload(r *http.Request) (news.Upload, error) {
	var in news.Upload
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		return in, errUpload(errFileMissing)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return in, errUpload(errFileMissing)
	}
	var file bool
	for i := 0; ; i++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return in, fmt.Errorf("read upload: %w", err)
		}
		if i == maxUploadParts {
			return in, errUpload("Validation failed: too many fields")
		}
		switch p.FormName() {
		case "file":
			// One byte over the bound, so that NormalizeImage tells a
			// file too large from one just at it.
			if in.Data, err = io.ReadAll(io.LimitReader(p, membership.MaxImageBytes+1)); err != nil {
				return in, fmt.Errorf("read upload: %w", err)
			}
			file = true
		case "description":
			b, err := io.ReadAll(io.LimitReader(p, maxUploadField))
			if err != nil {
				return in, fmt.Errorf("read upload: %w", err)
			}
			in.Description = string(b)
		case "focus":
			b, err := io.ReadAll(io.LimitReader(p, 64))
			if err != nil {
				return in, fmt.Errorf("read upload: %w", err)
			}
			if in.FocusX, in.FocusY, err = parseFocus(string(b)); err != nil {
				return in, err
			}
		default:
			// thumbnail (for audio and video, which Holon does not take)
			// and unknown fields are skipped.
			if _, err := io.Copy(io.Discard, p); err != nil {
				return in, fmt.Errorf("read upload: %w", err)
			}
		}
	}
	if !file || len(in.Data) == 0 {
		return in, errUpload(errFileMissing)
	}
	return in, nil
}

// parseFocus reads Mastodon's focus parameter, "x,y" from -1 to 1; empty
// is the centre.
func parseFocus(s string) (x, y float64, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, nil
	}
	xs, ys, ok := strings.Cut(s, ",")
	bad := errUpload("Validation failed: Focus must be two numbers from -1 to 1, as x,y")
	if !ok {
		return 0, 0, bad
	}
	if x, err = strconv.ParseFloat(strings.TrimSpace(xs), 64); err != nil {
		return 0, 0, bad
	}
	if y, err = strconv.ParseFloat(strings.TrimSpace(ys), 64); err != nil {
		return 0, 0, bad
	}
	if !(x >= -1 && x <= 1 && y >= -1 && y <= 1) { // NaN too
		return 0, 0, bad
	}
	return x, y, nil
}

// mediaID reads the {id} of a media route; a malformed one is not found.
func mediaID(r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	return id, err == nil
}

// getMedia answers GET /api/v1/media/{id}: the caller's own upload, while
// no status carries it (Mastodon's rule; 404 otherwise).
func (h *handlers) getMedia(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:media")
	if !ok {
		return
	}
	id, ok := mediaID(r)
	if !ok {
		notFound(w, r)
		return
	}
	a, err := h.news.Attachment(r.Context(), acc, id)
	if err != nil {
		h.failMedia(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, attachmentOf(a))
}

// updateMedia answers PUT /api/v1/media/{id}: a new description or focus
// for the caller's upload, while no status carries it. The fields come as
// a form, a multipart form or JSON, as clients send them; an absent one
// stays as it was.
func (h *handlers) updateMedia(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:media")
	if !ok {
		return
	}
	id, ok := mediaID(r)
	if !ok {
		notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadField*2)
	in, err := readFields(r)
	if err != nil {
		h.failMedia(w, r, err)
		return
	}
	a, err := h.news.Attachment(r.Context(), acc, id)
	if err != nil {
		h.failMedia(w, r, err)
		return
	}
	description, x, y := a.Description, a.FocusX, a.FocusY
	if in.Description != nil {
		description = *in.Description
	}
	if in.Focus != nil {
		if x, y, err = parseFocus(*in.Focus); err != nil {
			h.failMedia(w, r, err)
			return
		}
	}
	if a, err = h.news.Describe(r.Context(), acc, id, description, x, y); err != nil {
		h.failMedia(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, attachmentOf(a))
}

// mediaFields are the fields PUT /api/v1/media/{id} changes.
type mediaFields struct {
	Description *string `json:"description"`
	Focus       *string `json:"focus"`
}

func readFields(r *http.Request) (mediaFields, error) {
	var in mediaFields
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var raw struct {
			Description *string `json:"description"`
			Focus       any     `json:"focus"`
		}
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return in, errUpload("Validation failed: the body is not valid JSON")
		}
		in.Description = raw.Description
		switch f := raw.Focus.(type) {
		case string:
			in.Focus = &f
		case nil:
		default:
			return in, errUpload("Validation failed: Focus must be a string x,y")
		}
		return in, nil
	}
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxUploadField)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return in, fmt.Errorf("read media fields: %w", err)
	}
	if v, ok := r.Form["description"]; ok && len(v) > 0 {
		in.Description = &v[0]
	}
	if v, ok := r.Form["focus"]; ok && len(v) > 0 {
		in.Focus = &v[0]
	}
	return in, nil
}

// failMedia answers an error of the media and search routes as Mastodon
// does: 422 with "Validation failed: …" for what the input breaks, 404
// "Record not found" for what the caller may not see, 413 for a body over
// the bound.
func (h *handlers) failMedia(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	var bad errUpload
	var ce *core.Error
	switch {
	case errors.As(err, &tooBig):
		writeJSON(w, r, http.StatusRequestEntityTooLarge, errorJSON{Error: errBodyTooLarge})
	case errors.As(err, &bad):
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: bad.Error()})
	case errors.Is(err, membership.ErrImageFormat):
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: errFileType})
	case errors.Is(err, membership.ErrImageTooLarge):
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: File " + membership.ErrImageTooLarge.Detail})
	case core.KindOf(err) == core.KindNotFound:
		notFound(w, r)
	case errors.As(err, &ce) && (ce.Kind == core.KindInvalid || ce.Kind == core.KindTooLarge || ce.Kind == core.KindConflict):
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: " + ce.Detail})
	case errors.As(err, &ce) && ce.Kind == core.KindForbidden:
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: ce.Detail})
	case errors.As(err, &ce) && ce.Kind == core.KindUnavailable:
		writeJSON(w, r, http.StatusServiceUnavailable, errorJSON{Error: ce.Detail})
	default:
		h.fail(w, r, err)
	}
}

// parseMediaIDs reads the media_ids of a status (POST /api/v1/statuses):
// Mastodon's ids are strings; Holon's are UUIDs. It reads one more than
// news.MaxAttachments, so that news refuses too many, and no more: a
// request naming thousands costs nothing. A malformed id is refused as
// an unknown one would be (422).
func parseMediaIDs(vals []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, 0, min(len(vals), news.MaxAttachments+1))
	for _, v := range vals {
		if len(out) > news.MaxAttachments {
			break
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		id, err := uuid.Parse(v)
		if err != nil {
			return nil, errUpload("Validation failed: media_ids: no such media " + strconv.Quote(truncateString(v, 40)))
		}
		out = append(out, id)
	}
	return out, nil
}

func truncateString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

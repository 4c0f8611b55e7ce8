package news

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds on attachments.
const (
	MaxAttachments       = 4    // images a local note carries
	MaxDescriptionLength = 1500 // characters of an image's description (alt text)
	MaxRemoteAttachments = 8    // attachments kept of a remote note
	maxRemoteURLLength   = 2048 // bytes of a remote attachment's URL
	maxMediaTypeLength   = 100
	maxBlurhashLength    = 100
	maxRemoteSide        = 100_000 // pixels a remote attachment may claim
	// UploadTTL is how long an upload waits for a note to carry it before
	// SweepUploads may take it away.
	UploadTTL = 24 * time.Hour
)

// Errors of attachments.
var (
	// ErrNoSuchAttachment is also the answer about an upload a note
	// carries: it went out as it was, and is read through the note now
	// (as Mastodon, whose media routes know unattached uploads only).
	ErrNoSuchAttachment = core.New(core.KindNotFound, "attachment-not-found", "Record not found")
)

// Attachment is an image a note carries: an upload of a local account,
// served here (URL), or an image of a remote note, only pointed at
// (RemoteURL, which URL repeats): it is never fetched nor proxied here.
type Attachment struct {
	ID          uuid.UUID
	URL         string
	RemoteURL   string // remote ones only
	MediaType   string
	Description string
	// FocusX and FocusY are the focal point, from -1 to 1 (Mastodon's).
	FocusX, FocusY float64
	Width, Height  int   // 0 when unknown
	Size           int64 // bytes of the stored image; 0 for remote ones
	Blurhash       string
	Local          bool
	// Attached tells whether a note carries the upload.
	Attached bool
}

// Upload is an image a local account uploads for a note, with its
// description and focal point.
type Upload struct {
	Data           []byte
	Description    string
	FocusX, FocusY float64
}

// Upload stores an image by uploads for a note it will post (PostInput's
// MediaIDs): decoded, bounded, scaled down and re-encoded
// (membership.NormalizeImage), kept unattached until a note carries it.
func (s *Service) Upload(ctx context.Context, by membership.Account, in Upload) (Attachment, error) {
	if by.Status != membership.AccountActive {
		return Attachment{}, ErrMayNotPost
	}
	description, fe := checkDescription(in.Description, in.FocusX, in.FocusY)
	if len(fe) > 0 {
		return Attachment{}, core.Invalid(fe...)
	}
	img, err := membership.NormalizeImage(in.Data)
	if err != nil {
		return Attachment{}, err
	}
	now := s.now()
	m := store.Media{ID: newID(), ContentType: img.ContentType, Data: img.Data, Width: img.Width, Height: img.Height, CreatedAt: now}
	a := store.Attachment{ID: newID(), AccountID: &by.ID, MediaID: &m.ID, MediaType: img.ContentType, Description: description,
		FocusX: in.FocusX, FocusY: in.FocusY, Width: img.Width, Height: img.Height, Size: int64(len(img.Data)), CreatedAt: now}
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Media().Create(ctx, &m); err != nil {
			return err
		}
		return tx.Attachments().Create(ctx, &a)
	})
	if err != nil {
		return Attachment{}, fmt.Errorf("upload by %s: %w", by.Username, err)
	}
	return s.attachmentFrom(a), nil
}

// Attachment returns the upload id of by, while no note carries it:
// another's, an attached one, or a remote note's is ErrNoSuchAttachment.
func (s *Service) Attachment(ctx context.Context, by membership.Account, id uuid.UUID) (Attachment, error) {
	a, err := s.db.Attachments().ByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && !isUploadOf(a, by)):
		return Attachment{}, ErrNoSuchAttachment
	case err != nil:
		return Attachment{}, fmt.Errorf("media %s: %w", id, err)
	}
	return s.attachmentFrom(a), nil
}

// Describe changes the description and focal point of by's upload id,
// until a note carries it (ErrNoSuchAttachment then).
func (s *Service) Describe(ctx context.Context, by membership.Account, id uuid.UUID, description string, x, y float64) (Attachment, error) {
	description, fe := checkDescription(description, x, y)
	if len(fe) > 0 {
		return Attachment{}, core.Invalid(fe...)
	}
	var out store.Attachment
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.Attachments().ByID(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound) || (err == nil && !isUploadOf(a, by)):
			return ErrNoSuchAttachment
		case err != nil:
			return err
		}
		if err := tx.Attachments().Describe(ctx, id, by.ID, description, x, y); err != nil {
			return err
		}
		out, err = tx.Attachments().ByID(ctx, id)
		return err
	})
	if err != nil {
		return Attachment{}, fmt.Errorf("describe media %s: %w", id, err)
	}
	return s.attachmentFrom(out), nil
}

// isUploadOf tells whether a is an upload of by that no note carries.
func isUploadOf(a store.Attachment, by membership.Account) bool {
	return a.AccountID != nil && *a.AccountID == by.ID && a.NoteID == nil
}

// SweepUploads deletes the uploads no note carried within UploadTTL, with
// their images, and returns how many went.
func (s *Service) SweepUploads(ctx context.Context) (int64, error) {
	n, err := s.db.Attachments().SweepUnattached(ctx, s.now().Add(-UploadTTL))
	if err != nil {
		return 0, fmt.Errorf("sweep uploads: %w", err)
	}
	return n, nil
}

// attach gives the new local note the uploads ids of by, in their order:
// each must be by's, and carried by no note yet.
func attach(ctx context.Context, tx store.Tx, note uuid.UUID, by membership.Account, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := tx.Attachments().Attach(ctx, note, by.ID, ids)
	if err != nil {
		return err
	}
	if n != len(ids) {
		return core.Invalid(core.FieldError{Field: "media_ids", Code: "unknown-media",
			Detail: "give the ids of your own uploads, not attached to another note"})
	}
	return nil
}

// checkMediaIDs bounds the uploads a note carries: at most MaxAttachments,
// each once.
func checkMediaIDs(ids []uuid.UUID) *core.FieldError {
	if len(ids) > MaxAttachments {
		return &core.FieldError{Field: "media_ids", Code: "too-many", Detail: fmt.Sprintf("at most %d images", MaxAttachments)}
	}
	for i, id := range ids {
		for _, other := range ids[:i] {
			if id == other {
				return &core.FieldError{Field: "media_ids", Code: "duplicate-media", Detail: "each image once"}
			}
		}
	}
	return nil
}

// checkDescription bounds a description and a focal point.
func checkDescription(description string, x, y float64) (string, []core.FieldError) {
	var fe []core.FieldError
	d, e := checkText("description", description, MaxDescriptionLength, false)
	fe = appendField(fe, e)
	if math.IsNaN(x) || math.IsNaN(y) || x < -1 || x > 1 || y < -1 || y > 1 {
		fe = append(fe, core.FieldError{Field: "focus", Code: "focus-out-of-range", Detail: "two numbers from -1 to 1"})
	}
	return d, fe
}

// attachmentsOf reads the attachments of the note id.
func (s *Service) attachmentsOf(ctx context.Context, tx store.Tx, id uuid.UUID) ([]Attachment, error) {
	rows, err := tx.Attachments().OfNote(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.attachmentsFrom(rows), nil
}

func (s *Service) attachmentsFrom(rows []store.Attachment) []Attachment {
	out := make([]Attachment, len(rows))
	for i, r := range rows {
		out[i] = s.attachmentFrom(r)
	}
	return out
}

func (s *Service) attachmentFrom(a store.Attachment) Attachment {
	out := Attachment{ID: a.ID, MediaType: a.MediaType, Description: a.Description, FocusX: a.FocusX, FocusY: a.FocusY,
		Width: a.Width, Height: a.Height, Size: a.Size, Blurhash: a.Blurhash, Attached: a.NoteID != nil}
	if a.MediaID != nil {
		out.Local, out.URL = true, s.policy.BaseURL+"/media/"+a.MediaID.String()
	} else {
		out.URL, out.RemoteURL = a.RemoteURL, a.RemoteURL
	}
	return out
}

// RemoteAttachment is an attachment of a received note, as its server
// describes it: nothing in it is trusted.
type RemoteAttachment struct {
	URL       string
	MediaType string
	Name      string // the description (alt text)
	Width     int
	Height    int
	Blurhash  string
	FocusX    float64
	FocusY    float64
}

// readRemoteAttachments bounds a received note's attachments: at most
// MaxRemoteAttachments with an http(s) URL of bounded length; descriptions
// become plain text. The rows have no id nor note yet.
func readRemoteAttachments(in []RemoteAttachment, now time.Time) []store.Attachment {
	var out []store.Attachment
	for _, a := range in {
		if len(out) == MaxRemoteAttachments {
			break
		}
		if len(a.URL) > maxRemoteURLLength || !core.IsHTTPURL(a.URL) {
			continue
		}
		mt := strings.ToLower(strings.TrimSpace(a.MediaType))
		if len(mt) > maxMediaTypeLength || strings.ContainsAny(mt, " \t\r\n\"<>") {
			mt = ""
		}
		bh := a.Blurhash
		if len(bh) > maxBlurhashLength || strings.ContainsAny(bh, " \t\r\n\"<>") {
			bh = ""
		}
		x, y := a.FocusX, a.FocusY
		if math.IsNaN(x) || math.IsNaN(y) || x < -1 || x > 1 || y < -1 || y > 1 {
			x, y = 0, 0
		}
		out = append(out, store.Attachment{RemoteURL: a.URL, MediaType: mt, Position: len(out),
			Description: truncate(PlainText(a.Name), MaxDescriptionLength),
			Width:       boundSide(a.Width), Height: boundSide(a.Height), Blurhash: bh, FocusX: x, FocusY: y, CreatedAt: now})
	}
	return out
}

func boundSide(n int) int {
	if n < 0 || n > maxRemoteSide {
		return 0
	}
	return n
}

// storeRemoteAttachments gives the remote note id its attachments,
// replacing those it had.
func storeRemoteAttachments(ctx context.Context, tx store.Tx, id uuid.UUID, rows []store.Attachment) error {
	for i := range rows {
		rows[i].ID, rows[i].NoteID = newID(), &id
	}
	return tx.Attachments().ReplaceRemote(ctx, id, rows)
}

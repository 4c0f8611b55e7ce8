package membership

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"time"

	"github.com/google/uuid"
	"golang.org/x/image/draw"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Bounds on avatars.
const (
	MaxAvatarBytes = 2 << 20 // of the uploaded file
	MaxAvatarSide  = 1024    // pixels, after down-scaling
	// maxAvatarPixels bounds the decoded image: a small, well-compressed
	// file may claim a huge one, and decoding allocates all of it.
	maxAvatarPixels = 25_000_000
	jpegQuality     = 85
)

// Errors of avatars.
var (
	ErrAvatarFormat   = core.New(core.KindInvalid, "avatar-format", "the avatar must be a PNG or JPEG image")
	ErrAvatarTooLarge = core.New(core.KindTooLarge, "avatar-too-large", "the avatar must be at most 2 MiB and 25 megapixels")
)

// decoding bounds how many images are decoded at once, and so the memory
// they take (up to 100 MB each at maxAvatarPixels).
var decoding = make(chan struct{}, 2)

// Image is an image re-encoded here.
type Image struct {
	Data          []byte
	ContentType   string
	Width, Height int
}

// NormalizeAvatar decodes an uploaded PNG or JPEG image, scales it down to
// fit MaxAvatarSide (keeping its proportions) and encodes it again in its
// format: what the file carried besides the pixels (EXIF, GPS position,
// comments, colour profiles) is left behind.
func NormalizeAvatar(data []byte) (Image, error) {
	if len(data) > MaxAvatarBytes {
		return Image{}, ErrAvatarTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return Image{}, ErrAvatarFormat
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxAvatarPixels {
		return Image{}, ErrAvatarTooLarge
	}
	decoding <- struct{}{}
	defer func() { <-decoding }()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Image{}, ErrAvatarFormat
	}
	b := img.Bounds()
	if w, h := fit(b.Dx(), b.Dy(), MaxAvatarSide); w != b.Dx() || h != b.Dy() {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	if format == "jpeg" {
		// After scaling: turning a small image is cheap. The fit is a
		// square, so turning does not change it.
		img = orient(img, jpegOrientation(data))
	}
	var buf bytes.Buffer
	out := Image{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	switch format {
	case "png":
		out.ContentType = "image/png"
		err = png.Encode(&buf, img)
	default:
		out.ContentType = "image/jpeg"
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return Image{}, fmt.Errorf("encode avatar: %w", err)
	}
	out.Data = buf.Bytes()
	return out, nil
}

// fit returns w×h scaled down to fit a limit×limit square, or as it is.
func fit(w, h, limit int) (int, int) {
	if w <= limit && h <= limit {
		return w, h
	}
	if w >= h {
		return limit, max(1, h*limit/w)
	}
	return max(1, w*limit/h), limit
}

// SetAvatar makes the uploaded image data the avatar of the local actor
// name: by's own, or an association's whose board by sits on. The image is
// re-encoded (NormalizeAvatar), stored, served at /media/{id}, and the
// actor's new document is published to its followers' servers.
func (s *Service) SetAvatar(ctx context.Context, by Account, name string, data []byte) (Actor, error) {
	// Who may is checked before the costly decoding, and again in the
	// transaction.
	if _, err := profileOwner(ctx, s.db.Tx, by, name); err != nil {
		return Actor{}, err
	}
	img, err := NormalizeAvatar(data)
	if err != nil {
		return Actor{}, err
	}
	var out store.Actor
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := profileOwner(ctx, tx, by, name)
		if err != nil {
			return err
		}
		now := s.now()
		m := store.Media{ID: newID(), ContentType: img.ContentType, Data: img.Data, Width: img.Width, Height: img.Height, CreatedAt: now}
		if err := tx.Media().Create(ctx, &m); err != nil {
			return err
		}
		if err := tx.Actors().SetAvatar(ctx, row.ID, &m.ID, s.MediaURL(m.ID), m.ContentType, now); err != nil {
			return err
		}
		if row.AvatarID != nil {
			// Nothing else points at an avatar; peers get the new URL.
			if err := tx.Media().Delete(ctx, *row.AvatarID); err != nil {
				return err
			}
		}
		if err := s.publishProfile(ctx, tx, row.ID); err != nil {
			return err
		}
		if row.AssociationID != nil {
			if err := recordBoard(ctx, tx, *row.AssociationID, by, "association.avatar", Handle(row.Username, "", true), nil); err != nil {
				return err
			}
		}
		out, err = tx.Actors().ByID(ctx, row.ID)
		return err
	})
	if err != nil {
		return Actor{}, fmt.Errorf("set the avatar of %s: %w", name, err)
	}
	return actorFrom(out), nil
}

// MediaURL is the address media id is served at.
func (s *Service) MediaURL(id uuid.UUID) string { return s.policy.BaseURL + "/media/" + id.String() }

// Media is a stored image, as /media/{id} serves it.
type Media struct {
	ID          uuid.UUID
	ContentType string
	Data        []byte
	CreatedAt   time.Time
}

// ErrNoSuchMedia is returned for media that does not exist (or no longer).
var ErrNoSuchMedia = core.New(core.KindNotFound, "media-not-found", "no such image")

// Media returns the stored image id.
func (s *Service) Media(ctx context.Context, id uuid.UUID) (Media, error) {
	m, err := s.db.Media().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Media{}, ErrNoSuchMedia
	}
	if err != nil {
		return Media{}, err
	}
	return Media{ID: m.ID, ContentType: m.ContentType, Data: m.Data, CreatedAt: m.CreatedAt}, nil
}

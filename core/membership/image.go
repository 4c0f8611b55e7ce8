package membership

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // registers the GIF decoder: attachments may be GIFs
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers the WebP decoder: attachments may be WebP

	"github.com/holon-network/holon/core"
)

// Bounds on the images of notes (attachments).
const (
	MaxImageBytes = 8 << 20 // of the uploaded file
	MaxImageSide  = 2048    // pixels, after down-scaling
	// MaxImagePixels bounds the decoded image, as maxAvatarPixels does.
	MaxImagePixels = maxAvatarPixels
)

// Errors of images.
var (
	ErrImageFormat   = core.New(core.KindInvalid, "image-format", "the image must be a JPEG, PNG, GIF or WebP file")
	ErrImageTooLarge = core.New(core.KindTooLarge, "image-too-large", "the image must be at most 8 MiB and 25 megapixels")
)

// NormalizeImage is NormalizeAvatar for the images of notes: JPEG, PNG,
// GIF or WebP, at most MaxImageBytes, scaled down to fit MaxImageSide. A
// JPEG stays a JPEG; the others become PNG (a GIF keeps its first frame
// only: Holon shows still images). As with avatars, whatever the file
// carried besides its pixels (EXIF, GPS position) is left behind.
func NormalizeImage(data []byte) (Image, error) {
	if len(data) > MaxImageBytes {
		return Image{}, ErrImageTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg" && format != "gif" && format != "webp") {
		return Image{}, ErrImageFormat
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxImagePixels {
		return Image{}, ErrImageTooLarge
	}
	decoding <- struct{}{}
	defer func() { <-decoding }()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Image{}, ErrImageFormat
	}
	if format == "jpeg" {
		img = orient(img, jpegOrientation(data))
	}
	b := img.Bounds()
	if w, h := fit(b.Dx(), b.Dy(), MaxImageSide); w != b.Dx() || h != b.Dy() {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	var buf bytes.Buffer
	out := Image{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if format == "jpeg" {
		out.ContentType = "image/jpeg"
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		out.ContentType = "image/png"
		err = png.Encode(&buf, img)
	}
	if err != nil {
		return Image{}, fmt.Errorf("encode image: %w", err)
	}
	out.Data = buf.Bytes()
	return out, nil
}

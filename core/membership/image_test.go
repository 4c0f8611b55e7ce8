package membership_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/holon-network/holon/core/membership"
)

// Images of notes: JPEG stays JPEG, PNG and GIF become PNG, a large one is
// scaled down to fit 2048 pixels keeping its proportions; other files and
// oversized ones are refused.
func TestNormalizeImage(t *testing.T) {
	img := func(w, h int) image.Image {
		m := image.NewPaletted(image.Rect(0, 0, w, h), []color.Color{color.Black, color.White})
		for x := range w {
			m.SetColorIndex(x, x%h, 1)
		}
		return m
	}
	encode := func(f func(*bytes.Buffer) error) []byte {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	tests := []struct {
		name          string
		data          []byte
		contentType   string
		width, height int
		err           error
	}{
		{"png", encode(func(b *bytes.Buffer) error { return png.Encode(b, img(30, 20)) }), "image/png", 30, 20, nil},
		{"jpeg", encode(func(b *bytes.Buffer) error { return jpeg.Encode(b, img(30, 20), nil) }), "image/jpeg", 30, 20, nil},
		{"gif", encode(func(b *bytes.Buffer) error { return gif.Encode(b, img(30, 20), nil) }), "image/png", 30, 20, nil},
		{"wide", encode(func(b *bytes.Buffer) error { return png.Encode(b, img(4096, 10)) }), "image/png", 2048, 5, nil},
		{"text", []byte("hello, not an image"), "", 0, 0, membership.ErrImageFormat},
		{"too large", make([]byte, membership.MaxImageBytes+1), "", 0, 0, membership.ErrImageTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := membership.NormalizeImage(tt.data)
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err == nil && (got.ContentType != tt.contentType || got.Width != tt.width || got.Height != tt.height) {
				t.Fatalf("%s %dx%d", got.ContentType, got.Width, got.Height)
			}
		})
	}
}

package config

import (
	"testing"
	"time"
)

func TestDuration_ReadsAndWritesGoDurations(t *testing.T) {
	tests := []struct {
		text string
		want time.Duration
	}{
		{"0s", 0},
		{"10s", 10 * time.Second},
		{"168h", 168 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{"250ms", 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var d Duration
			if err := d.UnmarshalText([]byte(tt.text)); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", tt.text, err)
			}
			if d.Duration != tt.want {
				t.Errorf("UnmarshalText(%q) = %v, want %v", tt.text, d.Duration, tt.want)
			}
			text, err := d.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back Duration
			if err := back.UnmarshalText(text); err != nil || back != d {
				t.Errorf("MarshalText gave %q, which reads back as %v (%v)", text, back.Duration, err)
			}
		})
	}
}

func TestDuration_RefusesNegativeAndMalformed(t *testing.T) {
	for _, text := range []string{"-1s", "10", "", "ten seconds", "1d"} {
		t.Run(text, func(t *testing.T) {
			d := Duration{time.Minute}
			if err := d.UnmarshalText([]byte(text)); err == nil {
				t.Errorf("UnmarshalText(%q) accepted it as %v", text, d.Duration)
			}
			if d.Duration != time.Minute {
				t.Errorf("UnmarshalText(%q) changed the value to %v on error", text, d.Duration)
			}
		})
	}
}

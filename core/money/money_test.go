package money

import (
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		err     bool
	}{
		{"12.50", "EUR", 1250, false},
		{"12.5", "EUR", 1250, false},
		{"12", "EUR", 1200, false},
		{"0", "EUR", 0, false},
		{"1000", "JPY", 1000, false},
		{"1.5", "JPY", 0, true},
		{"12.505", "EUR", 0, true},
		{"-1", "EUR", 0, true},
		{"1e3", "EUR", 0, true},
		{"", "EUR", 0, true},
		{".5", "EUR", 0, true},
		{"5.", "EUR", 0, true},
		{"99999999999999999999", "EUR", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in+" "+tt.cur, func(t *testing.T) {
			got, err := Parse(tt.in, tt.cur)
			if tt.err {
				if !errors.Is(err, ErrAmount) {
					t.Fatalf("got %d, %v; want ErrAmount", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}

func TestFormat_RoundTrips(t *testing.T) {
	tests := []struct {
		minor int64
		cur   string
		want  string
	}{
		{1250, "EUR", "12.50"},
		{5, "EUR", "0.05"},
		{0, "EUR", "0.00"},
		{-5, "EUR", "-0.05"},
		{1000, "JPY", "1000"},
		{math.MinInt64, "EUR", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := Format(tt.minor, tt.cur); got != tt.want {
			t.Errorf("Format(%d, %s) = %q, want %q", tt.minor, tt.cur, got, tt.want)
		}
		if tt.minor >= 0 {
			if back, err := Parse(tt.want, tt.cur); err != nil || back != tt.minor {
				t.Errorf("Parse(%q) = %d, %v", tt.want, back, err)
			}
		}
	}
}

func TestCurrency(t *testing.T) {
	if c, err := Currency("eur"); err != nil || c != "EUR" {
		t.Fatalf("got %q, %v", c, err)
	}
	if _, err := Currency("EURO"); !errors.Is(err, ErrCurrency) {
		t.Fatalf("EURO accepted: %v", err)
	}
}

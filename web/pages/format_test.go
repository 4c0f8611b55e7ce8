package pages

import (
	"testing"
	"time"
)

func TestFormatMoney(t *testing.T) {
	cases := []struct {
		lang     string
		minor    int64
		currency string
		want     string
	}{
		{"en", 0, "EUR", "0.00\u00a0EUR"},
		{"en", 5, "EUR", "0.05\u00a0EUR"},
		{"en", 150000, "EUR", "1,500.00\u00a0EUR"},
		{"en", 123456789012, "EUR", "1,234,567,890.12\u00a0EUR"},
		{"fr", 150000, "EUR", "1\u202f500,00\u00a0EUR"},
		{"fr", 99999, "CHF", "999,99\u00a0CHF"},
		{"en", -250050, "EUR", "−2,500.50\u00a0EUR"},
		{"fr", 1234567, "JPY", "1\u202f234\u202f567\u00a0JPY"},
		{"en", 1250, "", "12.50"},
	}
	for _, c := range cases {
		if got := formatMoney(c.lang, c.minor, c.currency); got != c.want {
			t.Errorf("formatMoney(%s, %d, %s) = %q, want %q", c.lang, c.minor, c.currency, got, c.want)
		}
	}
}

func TestDecimalInput(t *testing.T) {
	for in, want := range map[string]string{
		"12,50": "12.50", " 12.50 ": "12.50", "1,000.50": "1,000.50", "1,2,3": "1,2,3", "": "", "abc": "abc",
	} {
		if got := decimalInput(in); got != want {
			t.Errorf("decimalInput(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeadline(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 30, 15, 500, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(dateLayout, s); return d }
	cases := []struct {
		name    string
		day     string
		longest time.Duration
		want    time.Time
	}{
		{"a day before the last: its end", "2026-11-25", 7 * 24 * time.Hour, time.Date(2026, 11, 25, 23, 59, 59, 0, time.UTC)},
		{"the last day: the longest reservation", "2026-11-28", 7 * 24 * time.Hour, time.Date(2026, 11, 28, 10, 30, 15, 0, time.UTC)},
		{"today, when the longest ends today", "2026-11-21", time.Hour, time.Date(2026, 11, 21, 11, 30, 15, 0, time.UTC)},
		{"past the last day: left for core to refuse", "2026-11-30", 7 * 24 * time.Hour, time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)},
		{"yesterday: left for core to refuse", "2026-11-20", 7 * 24 * time.Hour, time.Date(2026, 11, 20, 23, 59, 59, 0, time.UTC)},
	}
	for _, c := range cases {
		if got := deadline(day(c.day), now, c.longest); !got.Equal(c.want) {
			t.Errorf("%s: deadline = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSpeakerDuration(t *testing.T) {
	cat, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"en", 168 * time.Hour, "7 days"}, {"en", 24 * time.Hour, "1 day"}, {"fr", 30 * 24 * time.Hour, "30 jours"},
		{"en", 36 * time.Hour, "36 hours"}, {"fr", time.Hour, "1 heure"}, {"en", 90 * time.Second, "2 minutes"},
		{"en", time.Minute, "1 minute"},
	} {
		if got, err := cat.speakers[c.lang].duration(c.d); err != nil || got != c.want {
			t.Errorf("%s %v = %q, %v; want %q", c.lang, c.d, got, err, c.want)
		}
	}
}

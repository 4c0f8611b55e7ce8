// Package money holds amounts of money as integer minor units of an ISO 4217
// currency. It never uses floating point: "12.50" EUR is 1250 cents, exactly.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// ErrCurrency reports an unknown or malformed currency code.
var ErrCurrency = errors.New("not an ISO 4217 currency code")

// ErrAmount reports an amount that is not a decimal number the currency can hold.
var ErrAmount = errors.New("not a valid amount")

// Currency checks code and returns it upper-cased.
func Currency(code string) (string, error) {
	u, err := currency.ParseISO(strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return "", fmt.Errorf("%q: %w", code, ErrCurrency)
	}
	return u.String(), nil
}

// Scale returns the number of decimals of currency code (2 for EUR, 0 for JPY).
func Scale(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// Parse reads a decimal string such as "12.50" into minor units of code. It
// refuses negative amounts, more decimals than the currency has, exponents,
// and amounts past int64.
func Parse(s, code string) (int64, error) {
	s = strings.TrimSpace(s)
	scale := Scale(code)
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasDot && (frac == "" || !digits(frac))) {
		return 0, fmt.Errorf("%q: %w (write it like 12.50)", s, ErrAmount)
	}
	if len(frac) > scale {
		return 0, fmt.Errorf("%q: %w (%s has %d decimals)", s, ErrAmount, code, scale)
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: %w (too large)", s, ErrAmount)
	}
	return n, nil
}

// Format writes minor units of code as a decimal string ("12.50").
func Format(minor int64, code string) string {
	scale := Scale(code)
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign = "-"
		u = uint64(-(minor + 1)) + 1 // math.MinInt64 has no positive twin
	}
	s := strconv.FormatUint(u, 10)
	if scale == 0 {
		return sign + s
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	return sign + s[:len(s)-scale] + "." + s[len(s)-scale:]
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(s) > 0 && len(s) <= math.MaxInt8
}

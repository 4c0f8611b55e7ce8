package vocab

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// Amount is an amount of money as it travels: schema.org's MonetaryAmount
// with its value written as a decimal string that has exactly the
// currency's number of decimals ("300.00" EUR, "1500" JPY).
//
// Why a string: astool has no xsd:decimal, integer minor units would make
// every peer look up each currency's exponent (and a wrong guess is off by a
// factor of 100 without any error), and a JSON number is read as a binary
// float by most peers. A decimal string is exact, says its own scale, and is
// what the API and the people reading the document already use. Callers
// convert from and to integer minor units with core/money's Format and
// Parse.
type Amount struct {
	Value    string // "300.00"; "-300.00" only in postings
	Currency string // ISO 4217, "EUR"
}

// ErrAmount reports an amount that does not travel as Amount says.
var ErrAmount = errors.New("not a valid amount")

// check verifies the currency code and that the value has the currency's
// exact scale. A sign is accepted only when signed is true.
func (a Amount) check(signed bool) error {
	unit, err := currency.ParseISO(a.Currency)
	if err != nil || unit.String() != a.Currency {
		return fmt.Errorf("%w: currency %q is not an upper-case ISO 4217 code", ErrAmount, a.Currency)
	}
	v := a.Value
	if strings.HasPrefix(v, "-") {
		if !signed {
			return fmt.Errorf("%w: %q is negative", ErrAmount, a.Value)
		}
		v = v[1:]
	}
	scale, _ := currency.Standard.Rounding(unit)
	whole, frac, dot := strings.Cut(v, ".")
	if !isDigits(whole) || (dot && !isDigits(frac)) || len(frac) != scale || (dot && scale == 0) {
		return fmt.Errorf("%w: %q is not a decimal with %d decimals for %s", ErrAmount, a.Value, scale, a.Currency)
	}
	if len(whole) > 1 && whole[0] == '0' {
		return fmt.Errorf("%w: %q has a leading zero", ErrAmount, a.Value)
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// minor returns a checked amount in minor units, for sums.
func (a Amount) minor() int64 {
	n, _ := strconv.ParseInt(strings.Replace(a.Value, ".", "", 1), 10, 64)
	return n
}

// String writes the amount as people read it: "300.00 EUR".
func (a Amount) String() string { return a.Value + " " + a.Currency }

func (a Amount) monetary() streamsvocab.SchemaMonetaryAmount {
	m := streams.NewSchemaMonetaryAmount()
	c := streams.NewSchemaCurrencyProperty()
	c.Set(a.Currency)
	m.SetSchemaCurrency(c)
	v := streams.NewSchemaValueProperty()
	v.Set(a.Value)
	m.SetSchemaValue(v)
	return m
}

// AmountOf reads a MonetaryAmount a peer sent and checks it as Holon writes
// amounts. A negative value is accepted, for postings.
func AmountOf(m streamsvocab.SchemaMonetaryAmount) (Amount, error) {
	if m == nil || m.GetSchemaCurrency() == nil || m.GetSchemaValue() == nil {
		return Amount{}, fmt.Errorf("%w: a currency and a value are required", ErrAmount)
	}
	a := Amount{Value: m.GetSchemaValue().Get(), Currency: m.GetSchemaCurrency().Get()}
	if err := a.check(true); err != nil {
		return Amount{}, err
	}
	return a, nil
}

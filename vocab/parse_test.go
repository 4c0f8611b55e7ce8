package vocab

import (
	"errors"
	"strings"
	"testing"
)

// nested returns a Note whose "x" holds arrays nested to make the document
// depth levels deep.
func nested(depth int) string {
	return `{"type":"Note","x":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `}`
}

// wide returns a Note whose "x" is an array of n numbers.
func wide(n int) string {
	return `{"type":"Note","x":[` + strings.TrimSuffix(strings.Repeat("1,", n), ",") + `]}`
}

func TestParse_RefusesWhatIsTooBigOrNotADocument(t *testing.T) {
	huge := `{"type":"Note","content":"` + strings.Repeat("a", MaxDocumentSize) + `"}`
	for _, tt := range []struct {
		name string
		in   string
		want error // nil: accepted
	}{
		{"largest accepted size", `{"type":"Note","content":"` + strings.Repeat("a", MaxDocumentSize-30) + `"}`, nil},
		{"over 1 MiB", huge, ErrTooLarge},
		{"32 levels", nested(MaxDepth), nil},
		{"33 levels", nested(MaxDepth + 1), ErrTooDeep},
		{"33 levels of objects", strings.Repeat(`{"type":"Note","a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1), ErrTooDeep},
		{"10,000 elements", wide(MaxArrayLength), nil},
		{"10,001 elements", wide(MaxArrayLength + 1), ErrArrayTooLong},
		{"10,001 objects", `{"type":"Note","x":[` + strings.TrimSuffix(strings.Repeat("{},", MaxArrayLength+1), ",") + `]}`, ErrArrayTooLong},
		{"a long array of arrays deep inside", `{"type":"Note","a":{"b":[` + strings.TrimSuffix(strings.Repeat("[],", MaxArrayLength+1), ",") + `]}}`, ErrArrayTooLong},
		{"empty", ``, ErrMalformed},
		{"truncated", `{"type":"Note"`, ErrMalformed},
		{"two documents", `{"type":"Note"} {"type":"Note"}`, ErrMalformed},
		{"array", `[{"type":"Note"}]`, ErrNotObject},
		{"string", `"Note"`, ErrNotObject},
		{"null", `null`, ErrNotObject},
		{"no type", `{"id":"https://a.example/1"}`, ErrNoType},
		{"empty type", `{"type":""}`, ErrNoType},
		{"empty type array", `{"type":[]}`, ErrNoType},
		{"number type", `{"type":3}`, ErrNoType},
		{"object in type array", `{"type":["Note",{}]}`, ErrNoType},
		{"JSON-LD @type", `{"@type":"Note"}`, nil},
		{"several types", `{"type":["Task","Page"]}`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.in))
			if tt.want == nil {
				if err != nil || m == nil {
					t.Fatalf("Parse refused it: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if m != nil {
				t.Error("a refused document was returned")
			}
		})
	}
}

func TestParse_RefusesBeforeDecoding(t *testing.T) {
	// A deep document is refused by the token walk: the error names the
	// limit, not a failure of encoding/json.
	_, err := Parse([]byte(nested(10_000)))
	if !errors.Is(err, ErrTooDeep) || !strings.Contains(err.Error(), "32") {
		t.Fatalf("err = %v", err)
	}
}

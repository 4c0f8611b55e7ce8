package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/holon-network/holon/core"
)

// page holds the paging parameters of a list: ?limit=&cursor=.
type page struct {
	limit  int
	cursor string
}

// pageParams reads limit (1 to max, def when absent) and the raw cursor;
// the caller checks the cursor's form. Every error is reported at once.
func pageParams(r *http.Request, def, maxLimit int, checkCursor func(string) *core.FieldError) (page, error) {
	q := r.URL.Query()
	p := page{limit: def, cursor: q.Get("cursor")}
	var fields []core.FieldError
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			fields = append(fields, core.FieldError{Field: "limit", Code: "out-of-range", Detail: fmt.Sprintf("must be an integer from 1 to %d", maxLimit)})
		} else {
			p.limit = n
		}
	}
	if p.cursor != "" {
		if fe := checkCursor(p.cursor); fe != nil {
			fields = append(fields, *fe)
		}
	}
	if len(fields) > 0 {
		return page{}, core.Invalid(fields...)
	}
	return p, nil
}

func badCursor() *core.FieldError {
	return &core.FieldError{Field: "cursor", Code: "bad-cursor", Detail: "not a cursor this list handed out; use the next value of the previous page"}
}

// list is the shape of every list: one page of items and the cursor of the
// next page, null on the last.
type list[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

func newList[T any](items []T, next string) list[T] {
	l := list[T]{Items: items}
	if l.Items == nil {
		l.Items = []T{}
	}
	if next != "" {
		l.Next = &next
	}
	return l
}

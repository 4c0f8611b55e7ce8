package vocab

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// update rewrites the examples of docs/vocabulary.md from the code:
//
//	go test ./vocab/ -run TestDocs -update
var update = flag.Bool("update", false, "rewrite the examples of docs/vocabulary.md")

var docPath = filepath.Join("..", "docs", "vocabulary.md")

// exampleBlock matches an example of the page: a marker comment naming the
// example, then a fenced JSON block.
var exampleBlock = regexp.MustCompile("(?s)<!-- example: ([a-z0-9-]+) -->\n```json\n(.*?)```\n")

// exampleJSON is how the page shows a document: indented, keys sorted, HTML
// left alone, without the @context that every document carries and the
// page shows once (the "context" example).
func exampleJSON(t testing.TB, v Type) []byte {
	t.Helper()
	m, err := Serialize(v)
	if err != nil {
		t.Fatal(err)
	}
	delete(m, "@context")
	return indentJSON(t, m)
}

func indentJSON(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// producedExamples returns every example of the page as the code writes it.
func producedExamples(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"context": MarshalContextDocument()}
	for _, e := range docExamples(t) {
		v, err := e.build()
		if err != nil {
			t.Fatalf("example %s: %v", e.name, err)
		}
		if _, dup := out[e.name]; dup {
			t.Fatalf("example %s is defined twice", e.name)
		}
		out[e.name] = exampleJSON(t, v)
	}
	return out
}

// Every example of docs/vocabulary.md is what the code produces, and every
// example the code produces is in the page.
func TestDocs_ExamplesAreProducedByTheCode(t *testing.T) {
	page, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	want := producedExamples(t)
	seen := map[string]bool{}
	var stale []string
	updated := exampleBlock.ReplaceAllFunc(page, func(block []byte) []byte {
		m := exampleBlock.FindSubmatch(block)
		name := string(m[1])
		produced, ok := want[name]
		switch {
		case !ok:
			t.Errorf("docs/vocabulary.md has an example %q that the code does not produce", name)
			return block
		case seen[name]:
			t.Errorf("docs/vocabulary.md shows example %q twice", name)
		}
		seen[name] = true
		if !bytes.Equal(m[2], produced) {
			stale = append(stale, name)
		}
		return []byte(fmt.Sprintf("<!-- example: %s -->\n```json\n%s```\n", name, produced))
	})
	for name := range want {
		if !seen[name] {
			t.Errorf("docs/vocabulary.md lacks the example %q (add <!-- example: %s --> and a json block)", name, name)
		}
	}
	if len(stale) == 0 {
		return
	}
	if *update {
		if err := os.WriteFile(docPath, updated, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %d examples of %s", len(stale), docPath)
		return
	}
	t.Errorf("examples of docs/vocabulary.md differ from the code: %s\nrun: go test ./vocab/ -run TestDocs -update", strings.Join(stale, ", "))
}

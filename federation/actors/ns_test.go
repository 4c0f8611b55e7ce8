package actors_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

// Every instance serves Holon's context at /ns, as JSON-LD, the same
// document that every emitted document carries inline.
func TestNamespace_ServesTheContext(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		resp, err := http.Get(in.URL + "/ns")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/ld+json" {
			t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
		}
		var got, want any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(vocab.ContextDocument())
		_ = json.Unmarshal(b, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("/ns serves %s", raw)
		}
	})
}

package fedtest

import (
	"slices"
	"testing"
)

func TestMerge_LaterSettingsOverrideEarlierOnes(t *testing.T) {
	got := merge(
		[]string{"HOLON_LOG_LEVEL=debug", "HOLON_FEDERATION_CLOCK_SKEW=1s"},
		[]string{"HOLON_SERVER_LISTEN=127.0.0.2:1"},
		[]string{"HOLON_LOG_LEVEL=warn", "HOLON_X=a=b"},
	)
	want := []string{"HOLON_LOG_LEVEL=warn", "HOLON_FEDERATION_CLOCK_SKEW=1s", "HOLON_SERVER_LISTEN=127.0.0.2:1", "HOLON_X=a=b"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestReadActivity_TypeAndObjectOfWhatPeersSend(t *testing.T) {
	tests := []struct {
		body string
		want Received
	}{
		{`{"id":"http://a/1","type":"Create","object":{"id":"http://a/notes/1","type":"Note"}}`,
			Received{Activity: "http://a/1", Type: "Create", Object: "http://a/notes/1"}},
		{`{"id":"http://a/2","type":"Like","object":"http://b/notes/2"}`,
			Received{Activity: "http://a/2", Type: "Like", Object: "http://b/notes/2"}},
		{`{"id":"http://a/3","type":["Announce","Other"],"object":"http://b/notes/3"}`,
			Received{Activity: "http://a/3", Type: "Announce", Object: "http://b/notes/3"}},
		{`not json`, Received{}},
	}
	for _, tt := range tests {
		if got := readActivity([]byte(tt.body)); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.body, got, tt.want)
		}
	}
}

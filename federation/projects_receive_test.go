package federation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestXSDDuration(t *testing.T) {
	cases := []struct {
		in   any
		want time.Duration
		ok   bool
	}{
		{"P14D", 14 * 24 * time.Hour, true},
		{"PT16H", 16 * time.Hour, true},
		{"P1M", 720 * time.Hour, true},
		{"P1Y2M3DT4H5M6S", 8760*time.Hour + 1440*time.Hour + 72*time.Hour + 4*time.Hour + 5*time.Minute + 6*time.Second, true},
		{"P", 0, false},
		{"PT", 0, false},
		{"", 0, false},
		{"14 days", 0, false},
		{"-P1D", 0, false},
		{"P99999999999999999999Y", 0, false}, // would overflow
		{14, 0, false},
	}
	for _, c := range cases {
		got, ok := xsdDuration(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("xsdDuration(%v) = %v %v, want %v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// What Holon writes, Holon reads back: the golden documents become the
// copies' fields.
func TestRemoteObjectsOf_GoldenDocuments(t *testing.T) {
	read := func(name string) map[string]any {
		b, err := os.ReadFile(filepath.Join("testdata", name+".golden.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	task := remoteTaskOf(read("task-reserved"))
	until := time.Date(2025, 3, 16, 12, 0, 0, 0, time.UTC)
	if task.URI != "https://garden.example/tasks/0195551e-0000-7000-8000-000000000002" || task.Association != "https://garden.example/actors/garden" ||
		task.ProjectURI != "https://garden.example/projects/0195551e-0000-7000-8000-000000000001" || task.Name != "Build the raised beds" ||
		task.Status != "reserved" || task.Category != "other" || len(task.DoneCriteria) != 3 || task.Budget != 30000 || task.Currency != "EUR" ||
		task.Effort != 16*time.Hour || task.MaxReservation != 14*24*time.Hour || len(task.Reviewers) != 1 ||
		task.ReservedBy != "https://pro.example/actors/bob" || task.ReservedUntil == nil || !task.ReservedUntil.Equal(until) ||
		task.Description != "<p>Four raised beds along the south wall.</p>" ||
		!task.Updated.Equal(time.Date(2025, 3, 2, 12, 0, 0, 123456000, time.UTC)) {
		t.Fatalf("task: %+v", task)
	}
	p := remoteProjectOf(read("project"))
	if p.Name != "Community garden" || p.Status != "active" || p.Goal != 200000 || p.Currency != "EUR" || p.Licence != "CC-BY-SA-4.0" ||
		p.Place != "Lot behind the school" || len(p.Tags) != 1 || p.Tags[0] != "#garden" || p.Holder != "https://garden.example/actors/alice" {
		t.Fatalf("project: %+v", p)
	}
	// A budget with the wrong scale is not read as another amount.
	m := read("task-open")
	m["budget"] = map[string]any{"type": "MonetaryAmount", "currency": "EUR", "value": "300"}
	if task := remoteTaskOf(m); task.Budget != -1 {
		t.Fatalf("budget of \"300\" EUR read as %d", task.Budget)
	}
}

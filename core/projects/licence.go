package projects

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

// spdxIDs is the SPDX License List's current (not deprecated) identifiers,
// version 3.0.24 of the spdx-license-ids package (CC0-1.0), which is built
// from spdx/license-list-data. To update it, replace the file with that
// package's index.json.
//
//go:embed spdx_license_ids.json
var spdxIDs []byte

var licences = sync.OnceValue(func() map[string]string {
	var ids []string
	if err := json.Unmarshal(spdxIDs, &ids); err != nil {
		panic("embedded SPDX list: " + err.Error())
	}
	m := make(map[string]string, len(ids))
	for _, id := range ids {
		m[strings.ToLower(id)] = id
	}
	return m
})

// Licence returns the SPDX identifier id names, in its canonical case
// (SPDX matches identifiers case-insensitively), and whether it is one.
func Licence(id string) (string, bool) {
	canon, ok := licences()[strings.ToLower(strings.TrimSpace(id))]
	return canon, ok
}

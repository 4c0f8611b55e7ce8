// Package version holds what this build of Holon calls itself, for the
// places that report it (NodeInfo, the API, the user agent of requests).
package version

// Software is the name peers see in NodeInfo.
const Software = "holon"

// Version is the release, in semantic versioning.
const Version = "0.1.0-dev"

// Repository is where the source lives.
const Repository = "https://github.com/holon-network/holon"

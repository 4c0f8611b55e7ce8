package news

import (
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// policy is the HTML every stored note is reduced to, close to Mastodon's:
// paragraphs, line breaks, links (made rel="nofollow noopener noreferrer"
// and opened in a new tab), the microformat classes mentions and hashtags
// carry, lists, quotes, code and inline emphasis. Scripts, styles, event
// handlers, images, forms and every other attribute go. A bluemonday policy
// is safe for concurrent use once built.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "blockquote", "pre", "code", "strong", "b", "em", "i", "u", "s", "del",
		"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("class").Matching(classes).OnElements("a", "span")
	p.AllowAttrs("rel").Matching(relations).OnElements("a")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	return p
}()

// classes are the class names kept: Mastodon's microformats for mentions
// and hashtags, and the spans it uses to shorten long links.
var classes = regexp.MustCompile(`^(?:\s*(?:h-card|u-url|mention|hashtag|invisible|ellipsis)\s*)+$`)

// relations are the link relations kept (the policy adds its own).
var relations = regexp.MustCompile(`^(?:\s*(?:tag|nofollow|noopener|noreferrer)\s*)+$`)

// strict removes every tag, for texts that are shown as plain text.
var strict = bluemonday.StrictPolicy()

// Sanitize reduces untrusted HTML to what notes may hold (see policy).
func Sanitize(untrusted string) string {
	return policy.Sanitize(strings.ReplaceAll(untrusted, "\x00", ""))
}

// PlainText turns an HTML fragment (names may carry some) into the text
// it shows: every tag removed, entities decoded, surrounding space trimmed.
func PlainText(s string) string {
	return strings.TrimSpace(html.UnescapeString(strict.Sanitize(strings.ReplaceAll(s, "\x00", ""))))
}

package news

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders local notes: CommonMark with bare links made links,
// strikethrough, a line break where the author put one (as in every
// fediverse post) and "@name@host" and "#tag" parsed as mentions and
// hashtags, never inside code or a link's text. Raw HTML is not rendered
// (goldmark leaves it out unless told to be unsafe) and dangerous link
// schemes are dropped; the result is sanitised anyway.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
	goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(socialParser{}, 600))),
	goldmark.WithRendererOptions(ghtml.WithHardWraps(), renderer.WithNodeRenderers(util.Prioritized(socialRenderer{}, 100))),
)

// plainMarkdown renders Markdown that other servers send (PeerTube's
// comments), where a mention or a hashtag is theirs to link.
var plainMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
	goldmark.WithRendererOptions(ghtml.WithHardWraps()),
)

// draft is a local note's Markdown, parsed: its mentions are resolved
// (their Href set) before it is rendered.
type draft struct {
	source   []byte
	doc      ast.Node
	mentions []*mentionNode
	tags     []string // lower case, each once, in order of appearance
}

func parseDraft(src string, baseURL string) *draft {
	d := &draft{source: []byte(src)}
	d.doc = markdown.Parser().Parse(text.NewReader(d.source))
	seen := map[string]bool{}
	_ = ast.Walk(d.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *mentionNode:
			d.mentions = append(d.mentions, n)
		case *hashtagNode:
			n.Href = baseURL + "/tags/" + url.PathEscape(strings.ToLower(n.Name))
			if key := strings.ToLower(n.Name); !seen[key] {
				seen[key] = true
				d.tags = append(d.tags, key)
			}
		}
		return ast.WalkContinue, nil
	})
	return d
}

// render writes the draft's HTML, sanitised.
func (d *draft) render() (string, error) {
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, d.source, d.doc); err != nil {
		return "", err
	}
	return strings.TrimSpace(Sanitize(buf.String())), nil
}

// renderRemoteMarkdown renders a remote note sent as Markdown, sanitised.
func renderRemoteMarkdown(src string) string {
	var buf bytes.Buffer
	if err := plainMarkdown.Convert([]byte(src), &buf); err != nil {
		return Sanitize(html.EscapeString(src))
	}
	return strings.TrimSpace(Sanitize(buf.String()))
}

var (
	kindMention = ast.NewNodeKind("Mention")
	kindHashtag = ast.NewNodeKind("Hashtag")
)

// mentionNode is "@name" (a local actor) or "@name@host". Href (the
// actor's id) and Profile (its page) are set once it is resolved; an
// unresolved mention renders as the text it was.
type mentionNode struct {
	ast.BaseInline
	Username, Host string
	Href, Profile  string
}

func (n *mentionNode) Kind() ast.NodeKind { return kindMention }

func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Username": n.Username, "Host": n.Host}, nil)
}

func (n *mentionNode) text() string {
	if n.Host == "" {
		return "@" + n.Username
	}
	return "@" + n.Username + "@" + n.Host
}

// hashtagNode is "#name".
type hashtagNode struct {
	ast.BaseInline
	Name string
	Href string
}

func (n *hashtagNode) Kind() ast.NodeKind { return kindHashtag }

func (n *hashtagNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.Name}, nil)
}

// mentionPattern is Mastodon's: a user name of letters, digits, "_", "."
// and "-" (neither of the last two at its ends), then optionally "@" and a
// host, with a port for instances that have one.
var mentionPattern = regexp.MustCompile(`^@([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)(?:@([A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?(?::[0-9]{1,5})?))?`)

// MaxTagLength bounds a hashtag's name, in characters.
const MaxTagLength = 100

// socialParser reads mentions and hashtags. It only starts after a
// character that cannot be part of a word, an address or a link, so that
// "ada@example.org" and "page#part" stay text.
type socialParser struct{}

func (socialParser) Trigger() []byte { return []byte{'@', '#'} }

func (socialParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if pc.IsInLinkLabel() {
		return nil
	}
	if prev := block.PrecendingCharacter(); isWordRune(prev) || strings.ContainsRune("@#/&", prev) {
		return nil
	}
	line, _ := block.PeekLine()
	if len(line) < 2 {
		return nil
	}
	switch line[0] {
	case '@':
		m := mentionPattern.FindSubmatch(line)
		if m == nil || followedByWord(line[len(m[0]):]) {
			return nil
		}
		block.Advance(len(m[0]))
		return &mentionNode{Username: string(m[1]), Host: strings.ToLower(string(m[2]))}
	case '#':
		name, n := hashtagAt(line[1:])
		if name == "" {
			return nil
		}
		block.Advance(1 + n)
		return &hashtagNode{Name: name}
	}
	return nil
}

// hashtagAt reads a hashtag's name at the start of b: letters, digits and
// "_", with at least one letter, at most MaxTagLength characters. It
// returns the name and its length in bytes, or "" when there is none.
func hashtagAt(b []byte) (string, int) {
	n, count, letter := 0, 0, false
	for n < len(b) {
		r, size := utf8.DecodeRune(b[n:])
		if !isWordRune(r) {
			break
		}
		letter = letter || unicode.IsLetter(r)
		n += size
		count++
	}
	if !letter || count > MaxTagLength {
		return "", 0
	}
	return string(b[:n]), n
}

func followedByWord(rest []byte) bool {
	r, _ := utf8.DecodeRune(rest)
	return len(rest) > 0 && (isWordRune(r) || r == '@')
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// socialRenderer writes mentions and hashtags as Mastodon does, so that
// every server shows them as links.
type socialRenderer struct{}

func (socialRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMention, renderMention)
	reg.Register(kindHashtag, renderHashtag)
}

func renderMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*mentionNode)
	if n.Href == "" {
		_, _ = w.WriteString(html.EscapeString(n.text()))
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<span class="h-card"><a href="` + html.EscapeString(n.Profile) + `" class="u-url mention">@<span>` +
		html.EscapeString(n.Username) + `</span></a></span>`)
	return ast.WalkContinue, nil
}

func renderHashtag(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*hashtagNode)
	_, _ = w.WriteString(`<a href="` + html.EscapeString(n.Href) + `" class="mention hashtag" rel="tag">#<span>` +
		html.EscapeString(n.Name) + `</span></a>`)
	return ast.WalkContinue, nil
}

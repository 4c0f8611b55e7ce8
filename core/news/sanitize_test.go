package news

import (
	"strings"
	"testing"

	"github.com/holon-network/holon/internal/fixtures"
)

// fixtureNote returns the Note object of a fixture: the file itself, or
// the object of the Create it holds.
func fixtureNote(t *testing.T, name string) map[string]any {
	t.Helper()
	doc := fixtures.JSON(t, name)
	if obj, ok := doc["object"].(map[string]any); ok {
		return obj
	}
	return doc
}

// hostile is appended to every fixture's content: what a forged or
// compromised server could send.
const hostile = `<script>alert(1)</script><style>p{display:none}</style>` +
	`<p onclick="alert(2)" style="color:red" class="mention">click</p>` +
	`<a href="javascript:alert(3)">j</a><a href="https://ok.example/" onmouseover="alert(4)">ok</a>` +
	`<img src="https://evil.example/x.png" onerror="alert(5)"><iframe src="https://evil.example/"></iframe>` +
	`<form action="https://evil.example/"><input name="q"></form><span class="h-card evil">x</span>`

// Real notes keep their text, links, mentions and hashtags' markup; what
// could run, restyle or track goes, whatever server sent it.
func TestSanitize_RealWorldNotes(t *testing.T) {
	tests := []struct {
		fixture  string
		markdown bool
		keep     []string
	}{
		{"mastodon-note-create.json", false, []string{
			`<span class="h-card"><a href="https://mamot.fr/@retiolus" class="u-url mention" rel="nofollow noreferrer noopener" target="_blank">@<span>retiolus</span></a></span>`,
			"i have never been disappointed by a thinkpad"}},
		{"mastodon-note-create-2.json", false, []string{
			`href="http://localtesting.pleroma.lol/users/lain" class="u-url mention"`, `@<span>lain</span>`}},
		{"mastodon-note-object.json", false, []string{`href="https://mamot.fr/@retiolus"`, `class="h-card"`}},
		{"mastodon-note-object-2.json", false, []string{
			`href="https://lemmy.kde.social/c/kde" class="u-url mention"`,
			`<a href="https://kde.org/donate/" rel="nofollow noopener noreferrer" target="_blank"><span class="invisible">https://</span>`,
			"We also need funding 💶"}},
		{"mastodon-note-top-level.json", false, []string{`href="https://enterprise.lemmy.ml/c/tenforward"`, "I&#39;m using a variable"}},
		{"pleroma-note.json", false, []string{"Have what?"}},
		{"lemmy-comment-note.json", false, []string{"<p>first comment!</p>"}},
		{"peertube-note-comment.json", true, []string{"<p>@af2@bae.st idk"}},
		{"mastodon-docs-hashtag-note.json", false, []string{"I love #cats"}},
	}
	gone := []string{"<script", "alert(", "<style", "display:none", "onclick", "onmouseover", "onerror", "javascript:",
		"<img", "<iframe", "<form", "<input", "style=", "evil", `class="mention">click`}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			obj := fixtureNote(t, tt.fixture)
			content, _ := obj["content"].(string)
			if content == "" {
				t.Fatal("the fixture has no content")
			}
			var got string
			if tt.markdown {
				got = renderRemoteMarkdown(content + "\n\n" + hostile)
			} else {
				got = Sanitize(content + hostile)
			}
			for _, k := range tt.keep {
				if !strings.Contains(got, k) {
					t.Errorf("lost %q:\n%s", k, got)
				}
			}
			for _, g := range gone {
				if strings.Contains(got, g) {
					t.Errorf("kept %q:\n%s", g, got)
				}
			}
			// Markdown leaves raw HTML out altogether.
			if !tt.markdown && !strings.Contains(got, `<a href="https://ok.example/" rel="nofollow noreferrer noopener" target="_blank">ok</a>`) {
				t.Errorf("a plain link lost its place or gained something:\n%s", got)
			}
		})
	}
}

func TestSanitize_KeepsOnlyKnownClassesAndRelations(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<a href="https://x.example/tags/a" class="mention hashtag" rel="tag">#<span>a</span></a>`,
			`<a href="https://x.example/tags/a" class="mention hashtag" rel="tag nofollow noreferrer noopener" target="_blank">#<span>a</span></a>`},
		{`<a href="https://x.example/" class="button" rel="me">x</a>`, `<a href="https://x.example/" rel="nofollow noreferrer noopener" target="_blank">x</a>`},
		{`<span class="ellipsis">…</span>`, `<span class="ellipsis">…</span>`},
		{`<ol start="3"><li>c</li></ol>`, `<ol start="3"><li>c</li></ol>`},
		{`<blockquote><pre><code>x := 1</code></pre></blockquote>`, `<blockquote><pre><code>x := 1</code></pre></blockquote>`},
		{`<a href="mailto:a@b.example">m</a><a href="ftp://x.example/">f</a>`, `<a href="mailto:a@b.example" rel="nofollow noreferrer">m</a>f`},
		{"a\x00b", "ab"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdown_MentionsAndHashtagsOutsideCode(t *testing.T) {
	src := "Hi @ada and @zoe@peer.example:8443, #Holon #holon #1 #été.\n" +
		"mail ada@example.org, see https://x.example/page#part and [@ada](https://x.example/) `@ada #code`\n\n" +
		"```\n@ada #fenced\n```"
	d := parseDraft(src, "https://h.example")
	var got []string
	for _, m := range d.mentions {
		got = append(got, m.text())
	}
	if strings.Join(got, " ") != "@ada @zoe@peer.example:8443" {
		t.Fatalf("mentions %v", got)
	}
	if strings.Join(d.tags, " ") != "holon été" {
		t.Fatalf("tags %v", d.tags)
	}
	d.mentions[0].Href, d.mentions[0].Profile = "https://h.example/actors/ada", "https://h.example/@ada"
	html, err := d.render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<span class="h-card"><a href="https://h.example/@ada" class="u-url mention" rel="nofollow noreferrer noopener" target="_blank">@<span>ada</span></a></span>`,
		"@zoe@peer.example:8443", // not known: left as text
		`<a href="https://h.example/tags/holon" class="mention hashtag" rel="tag nofollow noreferrer noopener" target="_blank">#<span>Holon</span></a>`,
		"#1", "<code>@ada #code</code>", "@ada #fenced", "<br>",
		`<a href="https://x.example/page#part" rel="nofollow noreferrer noopener" target="_blank">https://x.example/page#part</a>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in\n%s", want, html)
		}
	}
}

func TestMarkdown_NoRawHTMLNorDangerousLinks(t *testing.T) {
	d := parseDraft("<b onclick=x>hi</b> <script>alert(1)</script>\n\n[x](javascript:alert(2)) ![i](https://x.example/i.png)", "https://h.example")
	html, err := d.render()
	if err != nil {
		t.Fatal(err)
	}
	// The text between raw tags stays, as text.
	for _, bad := range []string{"<script", "alert(2)", "onclick", "<b", "javascript:", "<img"} {
		if strings.Contains(html, bad) {
			t.Errorf("kept %q: %s", bad, html)
		}
	}
}

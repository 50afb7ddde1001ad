package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSlug(t *testing.T) {
	for _, good := range []string{"finance", "transport", "healthcare", "smart-city", "iot-2", "a", strings.Repeat("x", 40)} {
		assert.NoError(t, Slug("category", good, 40), good)
	}
	for name, bad := range map[string]string{
		"empty":          "",
		"uppercase":      "Finance",
		"leading digit":  "2finance",
		"leading hyphen": "-finance",
		"trailing":       "finance-",
		"double hyphen":  "smart--city",
		"space":          "smart city",
		"underscore":     "smart_city",
		"non-ascii":      "金融",
		"too long":       strings.Repeat("x", 41),
	} {
		t.Run(name, func(t *testing.T) { requireInvalid(t, Slug("category", bad, 40), "category") })
	}
}

// FuzzSlug checks that the validator never panics and that whatever it
// accepts is short lowercase ASCII that neither starts nor ends with a hyphen.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"finance", "smart-city", "", "-", "a--b", "Ab", "金融"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Slug("category", s, 40) != nil {
			return
		}
		if len(s) == 0 || len(s) > 40 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
			t.Fatalf("accepted %q", s)
		}
		for _, r := range s {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("accepted %q with character %q", s, r)
			}
		}
	})
}

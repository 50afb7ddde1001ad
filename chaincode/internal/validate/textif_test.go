package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A reason the decision needs is refused empty; one it merely takes may be
// empty; either way it is checked as a text.
func TestTextRequiredIf(t *testing.T) {
	requireInvalid(t, TextRequiredIf(true, "reason", " ", 10), "reason")
	assert.NoError(t, TextRequiredIf(true, "reason", "late", 10))
	assert.NoError(t, TextRequiredIf(false, "reason", "", 10))
	requireInvalid(t, TextRequiredIf(false, "reason", "a\nb", 10), "reason")
	requireInvalid(t, TextRequiredIf(true, "reason", "eleven char", 10), "reason")
}

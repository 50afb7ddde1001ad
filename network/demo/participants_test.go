package demo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckCharMatchesKnownCodes(t *testing.T) {
	for _, code := range []string{"9144030071526726XG", "91330100799655058B", "91110108551385082Q"} {
		assert.Equal(t, code[17], checkChar(code[:17]), code)
	}
}

func TestDemoCodesAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for org := range regionCodes {
		for _, role := range Roles {
			code := USCC(org, role)
			assert.Len(t, code, 18)
			assert.Empty(t, seen[code], "%s reused", code)
			seen[code] = org + "." + role
		}
	}
}

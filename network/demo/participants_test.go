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

// Every demo member has a code of its own, a region added to the running
// network's (suzhou) too, each a valid USCC.
func TestDemoCodesAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang", "anhui", "suzhou", "wuxi"} {
		for _, role := range Roles {
			code := USCC(org, role)
			assert.Len(t, code, 18)
			assert.Equal(t, code[17], checkChar(code[:17]), code)
			assert.Empty(t, seen[code], "%s reused", code)
			seen[code] = org + "." + role
		}
	}
}

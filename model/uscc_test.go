package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model"
)

func TestValidUSCCChecksTheCheckCharacter(t *testing.T) {
	for code, valid := range map[string]bool{
		"91310000MA1FL1800B":  true,
		"91310000MA1FL1800C":  false, // wrong check character
		"91310000MA1FL1800I":  false, // I is not in the alphabet
		"91310000MA1FL1800":   false,
		"91310000MA1FL1800BB": false,
		"9131000OMA1FL1800B":  false, // O in the first 17
		"":                    false,
	} {
		assert.Equal(t, valid, model.ValidUSCC(code), code)
	}
	check, ok := model.USCCCheckCharacter("91310000MA1FL1800")
	assert.True(t, ok)
	assert.Equal(t, byte('B'), check)
}

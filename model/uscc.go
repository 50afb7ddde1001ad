package model

import "strings"

// usccWeights are 3^i mod 31 for positions 1 to 17, as GB 32100-2015 defines them for the check character.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckCharacter returns the check character (the 18th) of a Unified Social Credit Code whose first 17
// characters are first17, and false when first17 is not 17 characters of USCCAlphabet.
func USCCCheckCharacter(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(USCCAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return USCCAlphabet[(31-sum%31)%31], true
}

// ValidUSCC reports whether code is a Unified Social Credit Code: 18 characters of USCCAlphabet, the last the
// check character of the others.
func ValidUSCC(code string) bool {
	if len(code) != 18 {
		return false
	}
	check, ok := USCCCheckCharacter(code[:17])
	return ok && code[17] == check
}

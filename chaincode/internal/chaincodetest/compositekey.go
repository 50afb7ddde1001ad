package chaincodetest

import (
	"fmt"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// These mirror the unexported constants of the shim (shim/shim.go), which
// decide how keys are laid out in the state database.
const (
	// compositeKeyNamespace prefixes every composite key, so composite keys
	// sort before all simple keys and never collide with them.
	compositeKeyNamespace = "\x00"
	// compositeKeySeparator ends the object type and every attribute.
	compositeKeySeparator = 0x00
	// emptyKeySubstitute replaces an empty start key of a range query, so
	// that an open range starts after the composite key namespace.
	emptyKeySubstitute = "\x01"
	// maxUnicodeRune closes the range of a partial composite key query.
	maxUnicodeRune = utf8.MaxRune
)

// createCompositeKey builds a composite key exactly as the shim does; the shim
// exports this one helper, so it is used directly rather than copied.
func createCompositeKey(objectType string, attributes []string) (string, error) {
	return shim.CreateCompositeKey(objectType, attributes)
}

// splitCompositeKey is the shim's splitCompositeKey. The shim panics with an
// index out of range when the key contains no separator after its first byte
// (for example a simple key); here that case is an error instead, because a
// test harness should report the mistake rather than crash the test binary.
func splitCompositeKey(compositeKey string) (string, []string, error) {
	componentIndex := 1
	components := []string{}
	for i := 1; i < len(compositeKey); i++ {
		if compositeKey[i] == compositeKeySeparator {
			components = append(components, compositeKey[componentIndex:i])
			componentIndex = i + 1
		}
	}
	if len(components) == 0 {
		return "", nil, fmt.Errorf("%q is not a composite key", compositeKey)
	}
	return components[0], components[1:], nil
}

// partialCompositeKeyRange returns the range [start, end) holding every
// composite key that begins with the given object type and attributes, as the
// shim computes it for partial composite key queries.
func partialCompositeKeyRange(objectType string, attributes []string) (start, end string, err error) {
	start, err = createCompositeKey(objectType, attributes)
	if err != nil {
		return "", "", err
	}
	return start, start + string(maxUnicodeRune), nil
}

// validateSimpleKeys is the shim's check that range query bounds do not reach
// into the composite key namespace.
func validateSimpleKeys(keys ...string) error {
	for _, key := range keys {
		if len(key) > 0 && key[0] == compositeKeyNamespace[0] {
			return fmt.Errorf("first character of the key [%s] contains a null character which is not allowed", key)
		}
	}
	return nil
}

// Key builds the composite key of objectType and attributes as the chaincode
// does (shim.CreateCompositeKey), for a test that names the keys a
// transaction read or wrote. It panics on an attribute that is not valid
// UTF-8 or holds a delimiter, which only a test's own constant can be.
func Key(objectType string, attributes ...string) string {
	k, err := createCompositeKey(objectType, attributes)
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: composite key %q %q: %v", objectType, attributes, err))
	}
	return k
}

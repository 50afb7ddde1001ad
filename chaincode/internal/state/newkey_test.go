package state

import (
	"errors"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// worldStub holds a world state for the functions that only build keys and
// read them; every other stub method panics through the nil embedded
// interface.
type worldStub struct {
	shim.ChaincodeStubInterface
	world map[string][]byte
}

func (s *worldStub) CreateCompositeKey(objectType string, attrs []string) (string, error) {
	return "\x00" + objectType + "\x00" + strings.Join(attrs, "\x00") + "\x00", nil
}

func (s *worldStub) GetState(key string) ([]byte, error) { return s.world[key], nil }

func TestNewKeyRefusesATakenKeyWithItsOwnRefusal(t *testing.T) {
	stub := &worldStub{world: map[string][]byte{}}
	ctx := &contractapi.TransactionContext{}
	ctx.SetStub(stub)
	errTaken := errors.New("taken")
	taken := func() error { return errTaken }

	key, err := NewKey(ctx, taken, "thing", "a", "1")
	require.NoError(t, err, "nothing is stored under the key yet")
	want, _ := stub.CreateCompositeKey("thing", []string{"a", "1"})
	assert.Equal(t, want, key)

	stub.world[key] = []byte(`{}`)
	_, err = NewKey(ctx, taken, "thing", "a", "1")
	assert.ErrorIs(t, err, errTaken, "a create must not overwrite what is stored")

	other, err := NewKey(ctx, taken, "thing", "a", "2")
	require.NoError(t, err, "another key of the same type is still free")
	assert.NotEqual(t, key, other)
}

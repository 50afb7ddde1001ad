package chaincodetest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// recordingTB records a fatal failure instead of stopping the test.
type recordingTB struct {
	testing.TB
	failure string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failure = fmt.Sprintf(format, args...)
}

func TestResultHelpers(t *testing.T) {
	ok := chaincodetest.Result{TxID: "tx1", Payload: []byte(`{"id":"a1"}`)}
	failed := chaincodetest.Result{TxID: "tx2", Err: errors.New("chaincode response 500, boom")}

	tests := []struct {
		name        string
		check       func(tb testing.TB)
		wantFailure string
	}{
		{"MustOK on success", func(tb testing.TB) { ok.MustOK(tb) }, ""},
		{"MustOK on failure", func(tb testing.TB) { failed.MustOK(tb) }, "transaction tx2 failed: chaincode response 500, boom"},
		{"MustFail on matching failure", func(tb testing.TB) { failed.MustFail(tb, "boom") }, ""},
		{"MustFail on other failure", func(tb testing.TB) { failed.MustFail(tb, "bang") }, `want an error containing "bang"`},
		{"MustFail on success", func(tb testing.TB) { ok.MustFail(tb, "boom") }, "transaction tx1 succeeded"},
		{"Unmarshal", func(tb testing.TB) {
			var v struct{ ID string }
			ok.Unmarshal(tb, &v)
			assert.Equal(t, "a1", v.ID)
		}, ""},
		{"Unmarshal of a bad payload", func(tb testing.TB) {
			var v int
			ok.Unmarshal(tb, &v)
		}, "decoding payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &recordingTB{TB: t}
			tt.check(tb)
			if tt.wantFailure == "" {
				assert.Empty(t, tb.failure)
			} else {
				assert.Contains(t, tb.failure, tt.wantFailure)
			}
		})
	}
	assert.True(t, ok.OK())
	assert.False(t, failed.OK())
}

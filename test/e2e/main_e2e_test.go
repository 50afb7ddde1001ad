//go:build e2e

// Package e2e drives the DeltaLedger chaincode on the real four-region Fabric
// network through the fabric-gateway client API, as members of different
// orgs, and checks the outcomes on the ledger. It needs the e2e build tag:
//
//	make test-e2e                                   # brings the network up, runs, stops it
//	DELTALEDGER_REUSE_NETWORK=1 go test -tags e2e ./test/e2e/   # against a running network
package e2e

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

var (
	testNet *fabricnet.Network
	run     = demo.RunID("e2e") // in every record ID of this run
)

func TestMain(m *testing.M) { os.Exit(demo.RunSuite(m, &testNet, os.Stderr)) }

// member connects a demo role of an org; the test closes it.
func member(t *testing.T, org, role string) *demo.Member {
	t.Helper()
	m, err := demo.Connect(testNet, org, role)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func callCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// submit commits a transaction and decodes its JSON result into out (if not nil).
func submit(t *testing.T, m *demo.Member, out any, fn string, args []string, opts ...demo.CallOption) {
	t.Helper()
	call(t, m, m.Submit, out, fn, args, opts)
}

// evaluate runs a query and decodes its JSON result into out.
func evaluate(t *testing.T, m *demo.Member, out any, fn string, args []string, opts ...demo.CallOption) {
	t.Helper()
	call(t, m, m.Evaluate, out, fn, args, opts)
}

// call invokes fn as m through invoke (m's Submit or Evaluate), requires it
// to succeed and decodes its JSON result into out (if not nil).
func call(t *testing.T, m *demo.Member, invoke func(context.Context, string, []string, ...demo.CallOption) ([]byte, error),
	out any, fn string, args []string, opts []demo.CallOption) {
	t.Helper()
	res, err := invoke(callCtx(t), fn, args, opts...)
	require.NoError(t, err, "%s as %s/%s", fn, m.Org.Key, m.User)
	if out != nil {
		require.NoError(t, json.Unmarshal(res, out))
	}
}

// refused checks that a submit fails with the chaincode's error code.
func refused(t *testing.T, code ledgererr.Code, err error) *ledgererr.Error {
	t.Helper()
	require.Error(t, err)
	e, ok := demo.CodeOf(err)
	require.True(t, ok, "no chaincode error code in: %v", err)
	require.Equal(t, code, e.Code, e.Error())
	return e
}

func id(kind string) string { return strings.Join([]string{run, kind}, "-") }

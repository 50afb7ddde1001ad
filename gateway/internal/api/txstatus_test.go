package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model"
)

// Another member's transaction that is not committed answers exactly as an ID nobody sent, headers included
// (requireAnsweredAsUnknown). Committed, it shows the status and never the sender's result, to a member asking twice or with
// an Idempotency-Key of its own.
func TestAnotherMembersPendingTransactionAnswersAsAnUnknownIDHeadersIncluded(t *testing.T) {
	e, tx := pendingSuspension(t)
	requireAnsweredAsUnknown(t, e, tx, "bob")

	e.fake.SetStatus(chain.Status{TransactionID: tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: 9})
	for _, options := range [][]reqOption{nil, {header("Idempotency-Key", "status-"+tx)}} {
		committed := e.do("bob", "GET", "/v1/transactions/"+tx, "", options...)
		require.Equal(t, 200, committed.Status, "body: %s", committed.Body)
		assert.NotContains(t, committed.json(t), "result")
		assert.NotContains(t, string(committed.Body), "SUSPENDED")
	}
}

// requireAnsweredAsUnknown requires that the status of tx, asked as member (by API key; "" for none) with options,
// is answered exactly as an ID nobody sent, headers included: the same status, the same header names with the same
// values (Cache-Control, ETag if any, Content-Type, Content-Length, whatever a later change adds) but the request's
// own ID and date, and the same body but the transaction ID.
func requireAnsweredAsUnknown(t *testing.T, e *env, tx, member string, options ...reqOption) {
	t.Helper()
	requireAnsweredAsNobodysID(t, e, tx, member, http.StatusNotFound, options...)
}

// requireAnsweredAsNobodysID is requireAnsweredAsUnknown for an answer of status: the status of tx is answered with
// it, exactly as an ID nobody sent is, headers included.
func requireAnsweredAsNobodysID(t *testing.T, e *env, tx, member string, status int, options ...reqOption) {
	t.Helper()
	nobodys := strings.Repeat("0", 64)
	unknown := e.do(member, "GET", "/v1/transactions/"+nobodys, "", options...)
	other := e.do(member, "GET", "/v1/transactions/"+tx, "", options...)
	require.Equal(t, status, unknown.Status, "body: %s", unknown.Body)
	require.Equal(t, unknown.Status, other.Status, "body: %s", other.Body)
	assert.Equal(t, strings.ReplaceAll(string(unknown.Body), nobodys, tx), string(other.Body))
	// X-Ledger-Block names the peer's height when a request ran, whatever its ID: the background submission of the
	// pending transaction can make that height known between the two requests, so it is per request like the date.
	perRequest := []string{"Date", "X-Request-Id", model.LedgerBlockHeader}
	names := func(h http.Header) []string {
		var out []string
		for k := range h {
			if !slices.Contains(perRequest, k) {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	require.Equal(t, names(unknown.Header), names(other.Header))
	for _, k := range names(unknown.Header) {
		assert.Equal(t, strings.ReplaceAll(strings.Join(unknown.Header.Values(k), ","), nobodys, tx),
			strings.Join(other.Header.Values(k), ","), "header %s", k)
	}
}

// suspendWithoutWaiting is an env in which the admin asked for p-1's
// suspension without waiting for its commit (?wait=false), the chaincode
// answering result; it returns the env and the gateway's answer, a 202.
func suspendWithoutWaiting(t *testing.T, result model.Participant) (*env, response) {
	t.Helper()
	e := newEnv(t)
	e.fake.Returns("participants:Suspend", result)
	resp := e.do("admin", "POST", "/v1/participants/p-1/suspend?wait=false", `{"reason":"audit"}`)
	require.Equal(t, 202, resp.Status, "body: %s", resp.Body)
	return e, resp
}

// pendingSuspension is suspendWithoutWaiting whose transaction the ledger
// has ordered and not committed yet; it returns the env and the
// transaction's ID.
func pendingSuspension(t *testing.T) (*env, string) {
	t.Helper()
	e, resp := suspendWithoutWaiting(t, model.Participant{ID: "p-1", Status: "SUSPENDED"})
	tx := resp.json(t)["transaction_id"].(string)
	e.fake.SetStatus(chain.Status{TransactionID: tx})
	return e, tx
}

package client

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A self-signed submit whose answer is lost once its signed transaction was handed to the gateway (the connection
// breaks, a proxy answers) leaves a transaction that may commit: InFlight names it, as it names the gateway's
// OUTCOME_UNKNOWN. An answer lost before the transaction was signed, or the gateway's own refusal, leaves none.
func TestInFlightNamesASentTransactionWhoseAnswerWasLost(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	asked, proposal := suspensionOf(t, certPEM, offlineTx)
	txMsg, payload := endorsedOf(t, proposal, proposal, "deltaledger", nil)
	broken := func(w http.ResponseWriter) {
		conn, _, err := w.(http.Hijacker).Hijack()
		require.NoError(t, err)
		conn.Close()
	}
	// lose runs the suspension, answering the signature of the step lostAt (proposal or transaction) with answer.
	lose := func(lostAt string, answer func(w http.ResponseWriter)) error {
		g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			switch r.URL.Path {
			case "/v1/participants/jiangsu.e1/suspend":
				reply(w, http.StatusAccepted, stepOf("proposal", offlineTx, asked, proposal))
			case "/v1/signing/" + offlineTx + "/" + lostAt:
				answer(w)
			default:
				reply(w, http.StatusAccepted, stepOf("transaction", offlineTx, txMsg, payload))
			}
		}, WithSigner(certPEM, key))
		g.c.apiKey = ""
		_, err := g.c.Participants().Suspend(context.Background(), "jiangsu.e1", "audit")
		require.Error(t, err)
		return err
	}
	proxy := func(w http.ResponseWriter) { http.Error(w, "bad gateway", http.StatusBadGateway) }
	for name, answer := range map[string]func(w http.ResponseWriter){
		"the connection breaks": broken,
		"a proxy answers":       proxy,
		"the gateway's OUTCOME_UNKNOWN": func(w http.ResponseWriter) {
			reply(w, http.StatusGatewayTimeout, map[string]string{"code": "OUTCOME_UNKNOWN", "message": "not seen", "transaction_id": offlineTx})
		},
	} {
		err := lose("transaction", answer)
		txID, ok := InFlight(err)
		assert.True(t, ok, "%s: %v", name, err)
		assert.Equal(t, offlineTx, txID, name)
		assert.True(t, strings.Contains(err.Error(), offlineTx), "%s: the error names the transaction: %v", name, err)
	}
	for name, err := range map[string]error{
		"the connection breaks at the proposal": lose("proposal", broken),
		"a proxy answers at the proposal":       lose("proposal", proxy),
		"the ordering service refuses it": lose("transaction", func(w http.ResponseWriter) {
			reply(w, http.StatusBadGateway, map[string]string{"code": "ORDERING_FAILED", "message": "refused", "transaction_id": offlineTx})
		}),
	} {
		_, ok := InFlight(err)
		assert.False(t, ok, "%s: %v", name, err)
	}
}

// A member who signs its own calls follows the transaction InFlight names as a custodial member does: the gateway
// (7.1.0) answers the commit status of its own transactions, pending then committed, and the client signs nothing
// for it.
func TestAMemberWhoSignsItselfWaitsForItsTransaction(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	asks := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		require.Equal(t, "/v1/transactions/"+offlineTx, r.URL.Path)
		asks++
		reply(w, http.StatusOK, map[string]any{"transaction_id": offlineTx, "committed": asks > 1, "valid": asks > 1, "code": "VALID", "block_number": 12})
	}, WithSigner(certPEM, key))
	g.c.apiKey = ""
	st, err := g.c.Transactions().Wait(context.Background(), offlineTx)
	require.NoError(t, err)
	assert.True(t, st.Committed)
	assert.True(t, st.Valid)
	assert.Equal(t, uint64(12), st.BlockNumber)
	assert.Equal(t, 2, asks, "pending, then committed")
	for _, r := range g.requests() {
		assert.NotContains(t, r.Path, "/v1/signing/", "nothing signed")
		assert.Empty(t, r.Header.Get("Authorization"), "the member's certificate, no API key")
	}
}

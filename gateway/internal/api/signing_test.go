package api_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/signing"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

const applyBody = `{"id":"a1","name":"Port moves","category":"transport","sourceRegion":"shanghai","description":"Hourly moves","contentHash":"` +
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"}`

func step(t *testing.T, r response) wire.SigningStepBody {
	t.Helper()
	require.Equal(t, http.StatusAccepted, r.Status, "body: %s", r.Body)
	var s wire.SigningStepBody
	require.NoError(t, json.Unmarshal(r.Body, &s))
	require.Equal(t, s.SignURL, r.Header.Get("Location"))
	return s
}

// signWith signs a step's digest with key, low S as Fabric wants.
func signWith(t *testing.T, key *ecdsa.PrivateKey, digest []byte) string {
	t.Helper()
	r, s, err := ecdsa.Sign(rand.Reader, key, digest)
	require.NoError(t, err)
	n := key.Curve.Params().N
	if s.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
		s.Sub(n, s)
	}
	der, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(der)
}

func digestOf(t *testing.T, s wire.SigningStepBody) []byte {
	d, err := base64.StdEncoding.DecodeString(s.Digest)
	require.NoError(t, err)
	b, err := base64.StdEncoding.DecodeString(s.Bytes)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	require.Equal(t, sum[:], d, "the digest is the SHA-256 of the bytes shown")
	return d
}

func (e *env) sign(as wallettest.Issued, s wire.SigningStepBody, signature string) response {
	e.t.Helper()
	return e.do("", "POST", s.SignURL, `{"signature":"`+signature+`"}`, clientCert(as))
}

func TestAMemberWhoseKeyTheGatewayDoesNotHoldSignsEveryStepItself(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1", "status": "PENDING_REVIEW"})
	me := wallet.IdentityOf(e.stray.Certificate)

	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	assert.Equal(t, "proposal", s.Step)
	assert.Empty(t, e.fake.Calls(), "nothing reaches the ledger before the member signs")
	assert.WithinDuration(t, time.Now().Add(routes.SigningTTL), s.ExpiresAt, time.Minute)

	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	assert.Equal(t, "transaction", s.Step)
	assert.JSONEq(t, `{"id":"a1","status":"PENDING_REVIEW"}`, string(s.Result), "the endorsed result is shown before the member signs the transaction")
	calls := e.fake.CallsTo("assets:Apply")
	require.Len(t, calls, 1)
	assert.Equal(t, me, calls[0].Member, "the chaincode sees the member, not a wallet identity")
	assert.True(t, calls[0].Submit)

	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	assert.Equal(t, "commit", s.Step)

	done := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusCreated, done.Status, "answered as POST /v1/assets answers: %s", done.Body)
	body := done.json(t)
	assert.Equal(t, s.TransactionID, body["transaction_id"])
	assert.NotZero(t, body["block_number"])
	assert.Equal(t, fmt.Sprint(body["block_number"]), done.Header.Get(model.LedgerBlockHeader), "the session learns the commit's block")
	assert.Equal(t, map[string]int{"proposal": 1, "transaction": 1, "commit": 1}, e.fake.SignedSteps())

	// The call is over: its steps cannot be replayed.
	assert.Equal(t, http.StatusNotFound, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))).Status)

	// A read: the signed proposal is evaluated and answered as the operation answers.
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "stray", Roles: []string{"holder"}})
	s = step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray)))
	read := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusOK, read.Status, "body: %s", read.Body)
	assert.Equal(t, "stray", read.json(t)["id"])
}

func TestASignatureThatIsNotTheCallersIsRefusedNamingWhy(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	digest := digestOf(t, s)

	for name, sig := range map[string]string{
		"another member's key":       signWith(t, e.stray2.Key, digest),
		"a wallet member's key":      signWith(t, e.certs["alice"].Key, digest),
		"the right key, other bytes": signWith(t, e.stray.Key, sha256.New().Sum([]byte("other"))[:32]),
	} {
		r := e.sign(e.stray, s, sig)
		require.Equal(t, http.StatusBadRequest, r.Status, "%s: %s", name, r.Body)
		eb := r.errorBody(t)
		assert.Equal(t, "signature", eb.Field, name)
		assert.Contains(t, eb.Message, "does not verify with the public key of the caller's certificate", name)
		assert.Contains(t, eb.Message, e.stray.Certificate.Subject.String(), name)
	}
	highS := func() string {
		r, sv, err := ecdsa.Sign(rand.Reader, e.stray.Key, digest)
		require.NoError(t, err)
		n := e.stray.Key.Curve.Params().N
		if sv.Cmp(new(big.Int).Rsh(n, 1)) <= 0 {
			sv.Sub(n, sv)
		}
		der, _ := asn1.Marshal(struct{ R, S *big.Int }{r, sv})
		return base64.StdEncoding.EncodeToString(der)
	}()
	r := e.sign(e.stray, s, highS)
	require.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.errorBody(t).Message, "low-S")
	r = e.sign(e.stray, s, "bm90IGEgc2lnbmF0dXJl")
	require.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.errorBody(t).Message, "not an ASN.1 DER ECDSA signature")
	assert.Empty(t, e.fake.Calls(), "no refused signature reaches the ledger")

	// The call still waits for the member's own signature.
	assert.Equal(t, "transaction", step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digest))).Step)
}

func TestNobodyContinuesAnotherMembersCall(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	digest := digestOf(t, s)

	// Another member who signs itself, with a valid signature of its own: the call is not its. Nor is it of a
	// certificate of the member's identity over another key (the registrar's).
	for _, other := range []wallettest.Issued{e.stray2, e.strayOtherKey} {
		r := e.sign(other, s, signWith(t, other.Key, digest))
		require.Equal(t, http.StatusNotFound, r.Status, "body: %s", r.Body)
		assert.Equal(t, "NOT_FOUND", r.errorBody(t).Code)
	}
	// A wallet member (the gateway holds its key) signs no steps at all.
	r := e.do("alice", "POST", s.SignURL, `{"signature":"`+signWith(t, e.certs["alice"].Key, digest)+`"}`)
	require.Equal(t, http.StatusForbidden, r.Status, "body: %s", r.Body)
	// Nor at another step, nor an unknown call.
	other := s
	other.SignURL = routes.SigningPath + "/" + s.TransactionID + "/transaction"
	assert.Equal(t, http.StatusNotFound, e.sign(e.stray, other, signWith(t, e.stray.Key, digest)).Status)
	assert.Empty(t, e.fake.Calls())

	assert.Equal(t, "transaction", step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digest))).Step, "the owner's call is untouched")
}

func TestATransactionAlteredAfterEndorsementIsNotSent(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	require.Equal(t, "transaction", s.Step)

	b, _ := base64.StdEncoding.DecodeString(s.Bytes)
	altered := append(append([]byte(nil), b...), []byte(" and 1000000 fen to me")...)
	sum := sha256.Sum256(altered)
	r := e.sign(e.stray, s, signWith(t, e.stray.Key, sum[:]))
	require.Equal(t, http.StatusBadRequest, r.Status, "body: %s", r.Body)
	assert.Contains(t, r.errorBody(t).Message, "over this step's digest")
	assert.Zero(t, e.fake.SignedSteps()["transaction"], "the altered transaction is never sent for ordering")
}

func TestAMemberWhoSignsItselfUsesOnlyTheChaincodeOperations(t *testing.T) {
	e := newEnv(t, api.WithSigningStore(signing.NewStore(time.Minute, 2, routes.SigningAnswersMaxPerMember, routes.SigningMaxBytes)))
	r := e.do("", "GET", "/v1/events", "", clientCert(e.stray))
	require.Equal(t, http.StatusForbidden, r.Status, "body: %s", r.Body)
	assert.Contains(t, r.errorBody(t).Message, "signs its own calls")
	r = e.do("", "POST", "/v1/members", `{"legalName":"X","uscc":"91310000MA1FL1800B","roles":["holder"]}`, clientCert(e.stray))
	require.Equal(t, http.StatusForbidden, r.Status, "body: %s", r.Body)

	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "stray"})
	// The places are the member's, whichever certificate of its identity (a re-enrolment's, over a new key) starts
	// the call: one call from each of two certificates fills the member's two.
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.strayOtherKey)))
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray)))
	for _, cert := range []wallettest.Issued{e.stray, e.strayOtherKey} {
		r = e.do("", "GET", "/v1/participants/me", "", clientCert(cert))
		require.Equal(t, http.StatusTooManyRequests, r.Status, "a member keeps at most the store's number of calls waiting: %s", r.Body)
	}
	wait, err := strconv.Atoi(r.Header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After: when its own first call expires")
	assert.True(t, wait > 0 && wait <= 60, "its own first call, made moments ago, expires within the TTL (1 min): %d s", wait)
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray2)))
}

// A member who signs itself can re-enrol with the org's CA as often as it likes, a new key and certificate each
// time: its budgets are its identity's, whichever of those certificates a request presents, so more certificates
// buy it no more requests. (Counted by certificate, each re-enrolment multiplied the member's budgets.) A certificate
// of its identity over a key the registrar chose shares the member's budget too, which only the org that runs the
// gateway can have issued.
func TestAMembersCertificatesOfOneIdentityShareItsBudget(t *testing.T) {
	e := newEnv(t, api.WithReadLimit(0.001, 2))
	require.Equal(t, wallet.IdentityOf(e.stray.Certificate), wallet.IdentityOf(e.strayOtherKey.Certificate), "the same identity")
	require.NotEqual(t, model.KeyDigest(e.stray.Certificate), model.KeyDigest(e.strayOtherKey.Certificate), "over another key")
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.strayOtherKey)))
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray)))
	for _, cert := range []wallettest.Issued{e.stray, e.strayOtherKey} {
		resp := e.do("", "GET", "/v1/participants/me", "", clientCert(cert))
		require.Equal(t, http.StatusTooManyRequests, resp.Status, "body: %s", resp.Body)
		assert.Contains(t, resp.errorBody(t).Message, wallet.IdentityOf(e.stray.Certificate), "the budget names the identity it counts")
	}
	// Another member's budget is its own.
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray2)))
}

func TestAnUnknownOrderingOutcomeKeepsTheStepForTheSameSignature(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	e.fake.FailNextSelfSignedSubmit(&chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: s.TransactionID, Message: "quorum not reached"})
	signature := signWith(t, e.stray.Key, digestOf(t, s))
	r := e.sign(e.stray, s, signature)
	require.Equal(t, http.StatusGatewayTimeout, r.Status, "body: %s", r.Body)
	assert.Equal(t, "OUTCOME_UNKNOWN", r.errorBody(t).Code)
	assert.Equal(t, "commit", step(t, e.sign(e.stray, s, signature)).Step, "the same signature sends the same transaction again")
	assert.Equal(t, 2, e.fake.SignedSteps()["transaction"])
}

func TestAnIdempotencyKeyAnswersTheSameCallAgain(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	start := func(body string) response {
		return e.do("", "POST", "/v1/assets", body, clientCert(e.stray), header("Idempotency-Key", "apply-a1"))
	}
	s := step(t, start(applyBody))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))

	// A retry while the call waits answers the step it waits at, not a new call.
	again := start(applyBody)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	replayed := step(t, again)
	assert.Equal(t, s.TransactionID, replayed.TransactionID)
	assert.Equal(t, "transaction", replayed.Step)
	assert.Equal(t, http.StatusUnprocessableEntity, start(strings.Replace(applyBody, "Port moves", "Other", 1)).Status, "the key with another request")

	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	done := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusCreated, done.Status)

	// After the commit, a retry answers the outcome; the ledger ran the call once.
	final := start(applyBody)
	require.Equal(t, http.StatusCreated, final.Status, "body: %s", final.Body)
	assert.Equal(t, "true", final.Header.Get("Idempotent-Replayed"))
	assert.JSONEq(t, string(done.Body), string(final.Body))
	assert.Len(t, e.fake.CallsTo("assets:Apply"), 1)
	// The key is the member's own: another member's same key is a new call, and so is a certificate's of the
	// member's identity over another key (the registrar's): it replays nothing of the member's.
	for _, other := range []wallettest.Issued{e.stray2, e.strayOtherKey} {
		r := e.do("", "POST", "/v1/assets", applyBody, clientCert(other), header("Idempotency-Key", "apply-a1"))
		assert.Empty(t, r.Header.Get("Idempotent-Replayed"))
		assert.NotEqual(t, s.TransactionID, step(t, r).TransactionID)
	}
}

// A call started with an Idempotency-Key that fails before anything was sent for ordering (the endorsement failed,
// ordering refused the transaction) is not recorded, as for other members: a retry with the key runs the request
// again, it is not answered "a step is running" for ever. A commit-status request that fails keeps its step: the
// transaction was sent, and the same signature asks again.
func TestAFailedStepBeforeOrderingFreesTheIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	start := func() response {
		return e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray), header("Idempotency-Key", "apply-a1"))
	}
	e.fake.Fails("assets:Apply", &chain.Error{Kind: chain.KindEndorsement, Message: "peer0 unavailable"})
	s := step(t, start())
	r := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusBadGateway, r.Status, "body: %s", r.Body)

	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	again := start()
	require.Equal(t, http.StatusAccepted, again.Status, "the retry runs the request again: %s", again.Body)
	s = step(t, again)
	assert.Equal(t, "proposal", s.Step)
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	e.fake.FailNextSelfSignedSubmit(&chain.Error{Kind: chain.KindOrdering, TransactionID: s.TransactionID, Message: "service unavailable"})
	r = e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusServiceUnavailable, r.Status, "body: %s", r.Body)

	again = start()
	require.Equal(t, http.StatusAccepted, again.Status, "not ordered: the retry runs the request again: %s", again.Body)
	s = step(t, again)
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	require.Equal(t, "commit", s.Step)
	e.fake.FailNextSelfSignedStatus(&chain.Error{Kind: chain.KindUnavailable, TransactionID: s.TransactionID, Message: "peer0 unavailable"})
	signature := signWith(t, e.stray.Key, digestOf(t, s))
	r = e.sign(e.stray, s, signature)
	require.Equal(t, http.StatusServiceUnavailable, r.Status, "body: %s", r.Body)
	replayed := start()
	assert.Equal(t, "commit", step(t, replayed).Step, "sent: a retry answers the step the call waits at")
	done := e.sign(e.stray, s, signature)
	require.Equal(t, http.StatusCreated, done.Status, "the same signature asks again: %s", done.Body)
}

// The gateway keeps at most routes.SigningMaxBytes of self-signed calls and answers: when full, a new call is
// refused before anything reaches the ledger, with when to come back: the store's TTL, whatever other members did.
func TestAFullSigningStoreRefusesANewCallBeforeAnythingIsSent(t *testing.T) {
	e := newEnv(t, api.WithSigningStore(signing.NewStore(time.Minute, 32, routes.SigningAnswersMaxPerMember, 1)))
	r := e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray), header("Idempotency-Key", "apply-a1"))
	require.Equal(t, http.StatusTooManyRequests, r.Status, "body: %s", r.Body)
	assert.Equal(t, api.CodeRateLimited, r.errorBody(t).Code)
	assert.Equal(t, "60", r.Header.Get("Retry-After"))
	assert.Empty(t, e.fake.Calls(), "nothing reaches the ledger")
}

// A step that panics is answered 500, as any panic, and puts its call back at the step it was at: the member signs
// it again, and a retry with its Idempotency-Key answers it. It was held until its TTL: 404 to its signature, 409
// to the retry, and its member's place taken.
func TestAStepThatPanicsPutsItsCallBack(t *testing.T) {
	e := newEnv(t)
	e.fake.Handle("assets:Apply", func(chaintest.Call) (chaintest.Response, error) { panic("the endorsement blew up") })
	start := func() response {
		return e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray), header("Idempotency-Key", "apply-a1"))
	}
	s := step(t, start())
	signature := signWith(t, e.stray.Key, digestOf(t, s))
	r := e.sign(e.stray, s, signature)
	require.Equal(t, http.StatusInternalServerError, r.Status, "body: %s", r.Body)

	replayed := step(t, start())
	assert.Equal(t, s.TransactionID, replayed.TransactionID, "the retry answers the call, put back")
	assert.Equal(t, "proposal", replayed.Step)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	assert.Equal(t, "transaction", step(t, e.sign(e.stray, s, signature)).Step, "the same signature runs the step again")
}

// A step that panics after its transaction was sent for ordering puts its call back at that step, never forgets it:
// a retry with the Idempotency-Key answers that call (a forgotten one would start a second transaction), and the
// same signature sends the same transaction again, which Fabric commits once.
func TestAStepThatPanicsAfterSendingNeverStartsASecondTransaction(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	start := func() response {
		return e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray), header("Idempotency-Key", "apply-a1"))
	}
	s := step(t, start())
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	e.fake.PanicNextSelfSignedSubmit()
	signature := signWith(t, e.stray.Key, digestOf(t, s))
	require.Equal(t, http.StatusInternalServerError, e.sign(e.stray, s, signature).Status)

	replayed := step(t, start())
	assert.Equal(t, s.TransactionID, replayed.TransactionID, "the retry answers the same call")
	assert.Equal(t, "transaction", replayed.Step)
	s = step(t, e.sign(e.stray, s, signature))
	require.Equal(t, "commit", s.Step)
	require.Equal(t, http.StatusCreated, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))).Status)
	assert.Len(t, e.fake.CallsTo("assets:Apply"), 1, "one transaction")
}

// A read leaves nothing to answer again: its call is not kept after its answer, so reads do not fill the store.
func TestASelfSignedReadIsNotKeptAfterItsAnswer(t *testing.T) {
	store := signing.NewStore(time.Minute, 32, routes.SigningAnswersMaxPerMember, routes.SigningMaxBytes)
	e := newEnv(t, api.WithSigningStore(store))
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "stray"})
	s := step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray)))
	require.Equal(t, 1, store.Len())
	require.Equal(t, http.StatusOK, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))).Status)
	assert.Zero(t, store.Len())
}

// A member who signs itself whose finished calls with an Idempotency-Key have the store's bound of answers kept is
// refused a NEW call with a key, 429 with Retry-After (when its own first answer expires), from any certificate of its
// identity, as a member whose key the gateway holds is past idempotency.maxPerMember; its answers are still replayed
// to their retries, a call without a key still starts, and another member is untouched.
func TestAMemberPastItsAnswersIsRefusedANewKeyedCallButReplayed(t *testing.T) {
	e := newEnv(t, api.WithSigningStore(signing.NewStore(time.Minute, routes.SigningMaxPerMember, 1, routes.SigningMaxBytes)))
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	start := func(as wallettest.Issued, key string) response {
		options := []reqOption{clientCert(as)}
		if key != "" {
			options = append(options, header("Idempotency-Key", key))
		}
		return e.do("", "POST", "/v1/assets", applyBody, options...)
	}
	s := step(t, start(e.stray, "apply-a1"))
	for range 2 {
		s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	}
	done := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusCreated, done.Status, "body: %s", done.Body)

	for _, as := range []wallettest.Issued{e.stray, e.strayOtherKey} {
		r := start(as, "apply-a2")
		require.Equal(t, http.StatusTooManyRequests, r.Status, "body: %s", r.Body)
		assert.Contains(t, r.errorBody(t).Message, "Idempotency-Key")
		wait, err := strconv.Atoi(r.Header.Get("Retry-After"))
		require.NoError(t, err)
		assert.True(t, wait > 0 && wait <= 60, "its own first answer, made moments ago, expires within the TTL (1 min): %d s", wait)
	}
	replayed := start(e.stray, "apply-a1")
	require.Equal(t, http.StatusCreated, replayed.Status, "body: %s", replayed.Body)
	assert.Equal(t, "true", replayed.Header.Get("Idempotent-Replayed"))
	step(t, start(e.strayOtherKey, ""))
	step(t, start(e.stray2, "apply-a2"))
}

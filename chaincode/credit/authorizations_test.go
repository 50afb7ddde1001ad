package credit

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestAuthorizeAndRevoke(t *testing.T) {
	f := newFixture(t)
	res := f.submit(f.subject, "Authorize", "A1", "bank1", purposeLending, "2026-06-01T00:00:00+08:00")
	a := decode[model.Authorization](t, res)
	assert.Equal(t, &model.Authorization{
		AuthID: "A1", SubjectUSCC: usccSubject, GrantorID: "subject1", GranteeID: "bank1", Purpose: purposeLending,
		ValidUntil: "2026-05-31T16:00:00Z", Status: model.AuthorizationActive, GrantedAt: a.GrantedAt,
	}, a)
	assert.Equal(t, model.EventAuthorizationGranted, res.Event.Name)
	assert.JSONEq(t, `{"authId":"A1","subjectUscc":"`+usccSubject+`","granteeId":"bank1"}`, string(res.Event.Payload))
	// Changing it needs a majority of the orgs, and it is marked so.
	assertMajority(t, f.net.Ledger().ValidationParameter("\x00"+keyAuth+"\x00A1\x00"))
	assert.NotNil(t, f.net.Ledger().State("\x00"+keyAuthSealed+"\x00A1\x00"))

	// Another participant of the same enterprise may revoke it.
	res = f.submit(f.subjectColleague, "RevokeAuthorization", "A1")
	a = decode[model.Authorization](t, res)
	assert.Equal(t, model.AuthorizationRevoked, a.Status)
	assert.Equal(t, "subject2", a.RevokedBy)
	assert.NotEmpty(t, a.RevokedAt)
	assert.Equal(t, model.EventAuthorizationRevoked, res.Event.Name)
	assert.Contains(t, res.Endorsers, mspJiangsu)

	f.mustRefuse(refusal{ledgererr.Conflict, "", "already revoked"}, func() chaincodetest.Result {
		return f.submit(f.subject, "RevokeAuthorization", "A1")
	})
}

func TestAuthorizeRefusals(t *testing.T) {
	f := newFixture(t)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.suspend(f.otherBank)
	oneYear := f.net.Now().AddDate(1, 0, 0)

	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		args   []string // authId, granteeId, purpose, validUntil
		want   refusal
	}{
		{"bad auth ID", f.subject, []string{"", "bank1", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.InvalidArgument, "authId", "must be"}},
		{"bad grantee ID", f.subject, []string{"A2", "bank 1", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.InvalidArgument, "granteeId", "must be"}},
		{"no purpose", f.subject, []string{"A2", "bank1", "", "2026-06-01T00:00:00Z"}, refusal{ledgererr.InvalidArgument, "purpose", "required"}},
		{"bad validUntil", f.subject, []string{"A2", "bank1", "p", "June"}, refusal{ledgererr.InvalidArgument, "validUntil", "RFC 3339"}},
		{"validUntil past", f.subject, []string{"A2", "bank1", "p", "2026-02-01T00:00:00Z"}, refusal{ledgererr.InvalidArgument, "validUntil", "after the transaction time"}},
		{"validUntil beyond a year", f.subject, []string{"A2", "bank1", "p", oneYear.Add(time.Hour).Format(time.RFC3339)}, refusal{ledgererr.InvalidArgument, "validUntil", "at most one year"}},
		{"unknown grantee", f.subject, []string{"A2", "bank9", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.NotFound, "", `"bank9" does not exist`}},
		{"suspended grantee", f.subject, []string{"A2", "bank2", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.Conflict, "", `"bank2" is SUSPENDED`}},
		{"grantee is the subject", f.subject, []string{"A2", "subject2", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.InvalidArgument, "granteeId", "needs no authorisation"}},
		{"unregistered", f.unregistered, []string{"A2", "bank1", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.Forbidden, "", "not a registered"}},
		{"duplicate", f.subject, []string{"A1", "bank1", "p", "2026-06-01T00:00:00Z"}, refusal{ledgererr.Conflict, "", `"A1" already exists`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result { return f.submit(tc.caller, "Authorize", tc.args...) })
		})
	}
	t.Run("exactly one year", func(t *testing.T) {
		f.t = t
		f.submit(f.subject, "Authorize", "A3", "bank1", "p", f.net.Now().AddDate(1, 0, 0).Format(time.RFC3339)).MustOK(t)
	})

	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		authID string
		want   refusal
	}{
		{"bad ID", f.subject, "A 1", refusal{ledgererr.InvalidArgument, "authId", "must be"}},
		{"unknown", f.subject, "A9", refusal{ledgererr.Forbidden, "", "does not exist, or"}},
		{"the grantee", f.bank, "A1", refusal{ledgererr.Forbidden, "", "does not act for the enterprise that granted it"}},
		{"the regulator", f.regulator, "A1", refusal{ledgererr.Forbidden, "", "the regulator reads the ledger and changes nothing"}},
		{"unregistered", f.unregistered, "A1", refusal{ledgererr.Forbidden, "", "not a registered"}},
	} {
		t.Run("revoke "+tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result { return f.submit(tc.caller, "RevokeAuthorization", tc.authID) })
		})
	}
}

func TestListAuthorizations(t *testing.T) {
	f := newFixture(t)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.authorize("A2", "bank2", "2026-06-01T00:00:00Z")
	f.submit(f.subject, "RevokeAuthorization", "A2").MustOK(t)

	for _, id := range []chaincodetest.Identity{f.subject, f.subjectColleague, f.regulator} {
		page := decode[model.AuthorizationPage](t, f.evaluate(id, "ListAuthorizations", usccSubject, "", ""))
		require.Len(t, page.Items, 2, "as %s", id)
		assert.Equal(t, "A1", page.Items[0].AuthID)
		assert.Equal(t, model.AuthorizationRevoked, page.Items[1].Status)
	}
	page := decode[model.AuthorizationPage](t, f.evaluate(f.subject, "ListAuthorizations", usccSubject, "1", ""))
	require.Len(t, page.Items, 1)
	page = decode[model.AuthorizationPage](t, f.evaluate(f.subject, "ListAuthorizations", usccSubject, "1", page.Bookmark))
	require.Len(t, page.Items, 1)
	assert.Equal(t, "A2", page.Items[0].AuthID)

	for _, id := range []chaincodetest.Identity{f.bank, f.stranger, f.agency} {
		f.mustRefuse(refusal{ledgererr.Forbidden, "", "may not read its authorizations"}, func() chaincodetest.Result {
			return f.evaluate(id, "ListAuthorizations", usccSubject, "", "")
		})
	}
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "pageSize", "1 to 100"}, func() chaincodetest.Result {
		return f.evaluate(f.subject, "ListAuthorizations", usccSubject, "0", "")
	})
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "subjectUscc", "check character"}, func() chaincodetest.Result {
		return f.evaluate(f.subject, "ListAuthorizations", "9144030071526726XA", "", "")
	})
}

// A grantee lists the authorisations granted to it, and only those: the
// caller is the grantee its certificate says, never an argument; an ACTIVE
// authorisation past its validUntil reads EXPIRED, in the subject's list too.
func TestGranteeListsItsAuthorizations(t *testing.T) {
	f := newFixture(t)
	soon := f.net.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	later := f.net.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	f.authorize("A1", "bank1", later)
	f.authorize("A2", "bank2", later)
	f.authorize("A3", "bank1", soon)
	f.authorize("A4", "bank1", later)
	f.submit(f.subject, "RevokeAuthorization", "A4").MustOK(t)

	mine := func(id chaincodetest.Identity) map[string]string {
		t.Helper()
		got := map[string]string{}
		chaincodetest.EachPage(func(bookmark string) string {
			page := decode[model.AuthorizationPage](t, f.evaluate(id, "ListMyAuthorizations", "1", bookmark))
			for _, a := range page.Items {
				assert.Equal(t, id.Cert.Subject.CommonName, a.GranteeID)
				got[a.AuthID] = a.Status
			}
			if len(page.Items) == 0 {
				return ""
			}
			return page.Bookmark
		})
		return got
	}
	assert.Equal(t, map[string]string{"A1": "ACTIVE", "A3": "ACTIVE", "A4": "REVOKED"}, mine(f.bank))
	assert.Equal(t, map[string]string{"A2": "ACTIVE"}, mine(f.otherBank))
	assert.Empty(t, mine(f.stranger), "nothing was granted to it")
	assert.Empty(t, mine(f.subject), "the grantor is not a grantee")

	f.net.Advance(2 * time.Hour)
	assert.Equal(t, map[string]string{"A1": "ACTIVE", "A3": "EXPIRED", "A4": "REVOKED"}, mine(f.bank))
	page := decode[model.AuthorizationPage](t, f.evaluate(f.subject, "ListAuthorizations", usccSubject, "", ""))
	require.Len(t, page.Items, 4)
	assert.Equal(t, model.AuthorizationExpired, page.Items[2].Status, "the subject sees it expired too")

	f.mustRefuse(refusal{ledgererr.InvalidArgument, "pageSize", "1 to 100"}, func() chaincodetest.Result {
		return f.evaluate(f.bank, "ListMyAuthorizations", "0", "")
	})
	f.mustRefuse(refusal{ledgererr.Forbidden, "", ""}, func() chaincodetest.Result {
		return f.evaluate(f.unregistered, "ListMyAuthorizations", "", "")
	})
}

// A refused revocation tells the caller nothing about authorisations that
// are not its enterprise's: naming another enterprise's authorisation is
// refused exactly as naming one that does not exist, without the code of
// the enterprise that granted it.
func TestRefusedRevocationTellsNothingOfOthersAuthorizations(t *testing.T) {
	f := newFixture(t)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	refusalOf := func(authID string) string {
		t.Helper()
		before := f.snapshot()
		r := f.submit(f.stranger, "RevokeAuthorization", authID)
		require.Error(t, r.Err)
		assert.True(t, before.equal(f.snapshot()))
		e, ok := ledgererr.Parse(r.Err.Error())
		require.True(t, ok)
		assert.NotContains(t, e.Message, usccSubject, "the granting enterprise leaks")
		return string(e.Code) + ": " + strings.ReplaceAll(e.Message, `"`+authID+`"`, `"?"`)
	}
	assert.Equal(t, refusalOf("A9"), refusalOf("A1"), "another enterprise's authorisation reads as a missing one")
}

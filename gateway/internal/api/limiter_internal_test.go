package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// A budget by client address keeps at most so many buckets: anyone chooses
// the keys, so it forgets the addresses whose buckets are full again and
// refuses a new one while none is.
func TestABudgetByAddressKeepsBoundedBuckets(t *testing.T) {
	l := newLimiter(budgetWrite, 1000, 1).byAddress()
	l.most = 2
	_, ok := l.allow("192.0.2.1")
	assert.True(t, ok)
	_, ok = l.allow("192.0.2.2")
	assert.True(t, ok)
	_, ok = l.allow("192.0.2.3")
	assert.False(t, ok, "two buckets in use, none full: a third address waits")
	assert.Len(t, l.m, 2)

	time.Sleep(20 * time.Millisecond) // both buckets refill (1,000 a second)
	_, ok = l.allow("192.0.2.3")
	assert.True(t, ok)
	assert.Len(t, l.m, 1, "the full buckets were forgotten")

	var none *limiter
	assert.Nil(t, none.byAddress(), "no limit, none by address either")
}

// A member's budget keeps at most maxBuckets buckets as well: each key the org's CA certifies is a member of its own,
// and whoever holds the CA's registrar power chooses how many. An idle member's bucket (full again, as a fresh one
// is) is forgotten for a new member; a bucket in use never is, so a flood of keys neither takes a live member's
// budget nor refills it, and a new key waits while every bucket is in use.
func TestAMembersBudgetKeepsBoundedBuckets(t *testing.T) {
	l := newLimiter(budgetWrite, 0.001, 1)
	member := func(i int) string { return fmt.Sprintf("x509::CN=minted-%d::CN=ca key %064x", i, i) }
	for i := range maxBuckets - 1 {
		_, ok := l.allow(member(i))
		require.True(t, ok)
	}
	l.m["idle"] = rate.NewLimiter(l.rate, l.burst) // a member idle long enough has a full bucket
	require.Len(t, l.m, maxBuckets)

	_, ok := l.allow(member(maxBuckets))
	assert.True(t, ok, "the idle member's bucket makes room")
	assert.Len(t, l.m, maxBuckets)
	assert.NotContains(t, l.m, "idle")

	_, ok = l.allow(member(maxBuckets + 1))
	assert.False(t, ok, "every bucket in use: a new key waits")
	assert.Len(t, l.m, maxBuckets)
	_, ok = l.allow(member(0))
	assert.False(t, ok, "the live member keeps its spent budget: the flood did not refill it")
}

// The public enrollment's budget is the client's, whichever address of its own it sends from: an IPv6 host holds a
// whole /64 and picks any address in it, so counting each address would give it 2^64 fresh budgets against the CA.
// An IPv4 address counts alike written plainly or IPv4-mapped; another /64 is another client.
func TestABudgetByAddressCountsAnIPv6ClientByItsSlash64(t *testing.T) {
	h := limitByAddress(newLimiter(budgetWrite, 0.001, 1).byAddress(), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	status := func(remoteAddr string) int {
		r := httptest.NewRequest(http.MethodPost, "/v1/members/enroll", nil)
		r.RemoteAddr = remoteAddr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, http.StatusNoContent, status("[2001:db8:1:2::1]:40000"))
	assert.Equal(t, http.StatusTooManyRequests, status("[2001:db8:1:2:ffff:ffff:ffff:fffe]:40001"), "another address of the same /64")
	assert.Equal(t, http.StatusTooManyRequests, status("[2001:db8:1:2::1%eth0]:40002"), "the same address with a zone")
	assert.Equal(t, http.StatusNoContent, status("[2001:db8:1:3::1]:40003"), "another /64: another client")

	assert.Equal(t, http.StatusNoContent, status("192.0.2.7:40004"))
	assert.Equal(t, http.StatusTooManyRequests, status("[::ffff:192.0.2.7]:40005"), "the same IPv4 address, IPv4-mapped")
	assert.Equal(t, http.StatusNoContent, status("192.0.2.8:40006"), "each IPv4 address is a client of its own")
}

package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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

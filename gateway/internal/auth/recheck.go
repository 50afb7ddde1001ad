package auth

import (
	"net/http"
	"time"
)

// Recheck checks again, as often as it is asked, the credentials of a request that lasts: an event stream, which
// asks before every event it delivers and at every heartbeat, so that credentials refused since (an API key revoked
// or expired, a certificate the CRL lists now) get nothing more.
//
// An API key is checked in full each time: a hash and a lookup in the key store, which re-reads its file when it
// changes. A client certificate's check verifies its chain (an ECDSA verification a certificate) and follows the
// CRLs up it (another of the member's own certificate), which an event per stream repeated for nothing: its verdict
// depends only on the trusted CAs (replaced whole by SetTrust), the CRLs held (Revocations.Generation) and the
// gateway's clock against the validity of the chain's certificates (Caller.from and until); the wallet and its
// members' certificates are fixed while the gateway runs. So a certificate's verdict is kept while all of them are
// as they were when it was reached, and reached again in full after any change: a CRL installed (a certificate
// revoked, which is how an org cuts off a member it suspends), the CAs reloaded, a certificate of the chain expired
// by the gateway's clock. A member's standing on the ledger (suspended, its roles) is no part of authentication: the
// stream reads it itself.
//
// A Recheck holds one verdict, of its request's own certificate: what it keeps is bounded by the requests that last
// (routes.EventStreamsMaxPerMember streams per wallet member), and nothing a caller sends makes it keep more. It is
// for one goroutine.
type Recheck struct {
	a      *Authenticator
	r      *http.Request
	member string
	held   *verdict
}

// verdict is a certificate's authentication and what it was reached under.
type verdict struct {
	trust       *trust
	crls        uint64
	from, until time.Time
}

// Recheck returns the check of r's credentials again, as Authenticate does, for a request acting as member.
func (a *Authenticator) Recheck(r *http.Request, member string) *Recheck {
	return &Recheck{a: a, r: r, member: member}
}

// Authenticated reports whether the request's credentials authenticate its member now.
func (c *Recheck) Authenticated() bool {
	// What the verdict depends on is read before it is reached: a change made meanwhile is met at the next check.
	trust, crls, now := c.a.trust.Load(), c.a.crlGeneration(), c.a.now()
	if v := c.held; v != nil && v.trust == trust && v.crls == crls && !now.Before(v.from) && !now.After(v.until) {
		return true
	}
	c.held = nil
	caller, err := c.a.Authenticate(c.r)
	if err != nil || caller.Member != c.member {
		return false
	}
	if caller.Method == ClientCertificate {
		c.held = &verdict{trust: trust, crls: crls, from: caller.from, until: caller.until}
	}
	return true
}

// crlGeneration is the generation of the CRLs held (0 without any).
func (a *Authenticator) crlGeneration() uint64 {
	if a.revoked == nil {
		return 0
	}
	return a.revoked.Generation()
}

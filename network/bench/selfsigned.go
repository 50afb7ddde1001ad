package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

// callsPerSelfSigner is how many calls of one member who signs for itself
// the member-signed path keeps in flight at most: the gateway keeps at most
// 32 waiting calls per such member (its routes.SigningMaxPerMember) and
// answers 429 beyond, so the path spreads its load over enough members to
// stay at half of that.
const callsPerSelfSigner = 16

// selfSignersFor is the number of members the member-signed path needs to
// keep inFlight calls going.
func selfSignersFor(inFlight int) int {
	return max(1, (inFlight+callsPerSelfSigner-1)/callsPerSelfSigner)
}

// SelfSigner is an enterprise the benchmark onboarded that keeps its own key:
// the gateway holds none of it, and every step of its calls (proposal,
// transaction, commit-status request) is signed here by the SDK.
type SelfSigner struct {
	// Participant is its participant ID on the ledger.
	Participant string
	// USCC is its enterprise code, certified in its certificate.
	USCC string
	// Client acts as it through the home org's REST gateway without rate
	// limits (client.WithSigner).
	Client *client.Client
}

// selfSigners is a pool of members who sign for themselves, each lent to at
// most callsPerSelfSigner operations at once.
type selfSigners chan *SelfSigner

func newSelfSigners(members []*SelfSigner) selfSigners {
	pool := make(selfSigners, len(members)*callsPerSelfSigner)
	for range callsPerSelfSigner {
		for _, m := range members {
			pool <- m
		}
	}
	return pool
}

// borrow takes a member with a free call, waiting for one if need be.
func (p selfSigners) borrow(ctx context.Context) (*SelfSigner, error) {
	select {
	case m := <-p:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p selfSigners) give(m *SelfSigner) { p <- m }

// OnboardSelfSigners brings n enterprises into the home org as members who
// sign for themselves, the way a new enterprise joins (README "Onboarding an
// enterprise"), and keeps them in fx for the member-signed path: the org's
// operator onboards each (POST /v1/members), the enterprise enrolls with a
// key made here (the SDK's Enroll: only a CSR leaves it), the org's admin
// registers it on the ledger as a holder with its certificate. Not measured.
func (e *Env) OnboardSelfSigners(ctx context.Context, fx *Fixture, n int, progress io.Writer) error {
	started := time.Now()
	members := make([]*SelfSigner, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for k := range n {
		wg.Go(func() {
			members[k], errs[k] = e.onboardSelfSigner(ctx, syntheticUSCC(started, k))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("onboarding a member who signs for itself: %w", err)
		}
	}
	fx.SelfSigners = newSelfSigners(members)
	fmt.Fprintf(progress, "%d members who sign for themselves onboarded in %.1fs\n", n, time.Since(started).Seconds())
	return nil
}

// syntheticUSCC is the k-th enterprise code of a run started at t: a valid
// USCC (its check character computed) that no earlier run used, since the
// CA remembers every enterprise it registered.
func syntheticUSCC(t time.Time, k int) string {
	first17 := fmt.Sprintf("91310000%09d", (t.Unix()*100+int64(k))%1_000_000_000)
	check, _ := model.USCCCheckCharacter(first17)
	return first17 + string(check)
}

func (e *Env) onboardSelfSigner(ctx context.Context, uscc string) (*SelfSigner, error) {
	home := e.orgs()[0]
	operator, err := e.client(GatewayConfigured, home, "operator")
	if err != nil {
		return nil, err
	}
	admin, err := e.client(GatewayConfigured, home, "admin")
	if err != nil {
		return nil, err
	}
	legalName := "Benchmark signer " + uscc
	inv, err := operator.Members().Register(ctx, client.OnboardRequest{LegalName: legalName, USCC: uscc, Roles: []string{model.RoleHolder}})
	if err != nil {
		return nil, fmt.Errorf("POST /v1/members: %w", err)
	}
	url, ca, err := e.gatewayAddress(GatewayUnlimited, home)
	if err != nil {
		return nil, err
	}
	anonymous, err := client.New(url, client.WithCAFile(ca), client.WithRetries(0, 0, 0), client.WithTimeout(restTimeout))
	if err != nil {
		return nil, err
	}
	enrollment, err := anonymous.Members().Enroll(ctx, inv.EnrollmentID, inv.Secret)
	if err != nil {
		return nil, fmt.Errorf("enrolling %s: %w", uscc, err)
	}
	m := &SelfSigner{Participant: home + ".e" + strings.ToLower(uscc), USCC: uscc}
	// The registration answers once the home org's peer committed it; the
	// gateway without limits reads through that peer, so it knows the member
	// from here on.
	if _, err := admin.Participants().Register(ctx, client.RegisterParticipantRequest{ID: m.Participant,
		CertificatePEM: string(enrollment.CertificatePEM), Roles: []string{model.RoleHolder}, USCC: uscc, Name: legalName, Region: home}); err != nil {
		return nil, fmt.Errorf("registering %s: %w", m.Participant, err)
	}
	m.Client, err = client.New(url, client.WithCAFile(ca), client.WithSigner(enrollment.CertificatePEM, enrollment.Signer),
		client.WithRetries(0, 0, 0), client.WithTimeout(restTimeout), client.WithUserAgent("deltaledger-bench"))
	if err != nil {
		return nil, err
	}
	return m, nil
}

// memberSignedApply is restApply as a member who signs for itself: the
// same POST /v1/assets through the home org's gateway without rate limits,
// answered 202 with the proposal to sign, then its signature, the endorsed
// transaction's signature and the commit-status request's signature (four
// HTTP requests and three signatures made here, against one request that the
// gateway signs with its wallet).
func (e *Env) memberSignedApply(fx *Fixture) Op {
	home := e.orgs()[0]
	return func(ctx context.Context, i int) Outcome {
		if fx.SelfSigners == nil {
			return Outcome{Err: fmt.Errorf("no member who signs for itself was onboarded (OnboardSelfSigners)")}
		}
		m, err := fx.SelfSigners.borrow(ctx)
		if err != nil {
			return Outcome{Err: err}
		}
		defer fx.SelfSigners.give(m)
		id := fmt.Sprintf("%s-m-%d", fx.Run, i)
		args := applyArgs(id, home)
		res, err := m.Client.Assets().Apply(ctx, client.ApplyRequest{ID: id, Name: args[1], Category: Category,
			SourceRegion: home, Description: args[4], ContentHash: args[5]})
		return submitted(res, err)
	}
}

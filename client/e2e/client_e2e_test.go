//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/readmetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
)

// A Shanghai holder registers a data asset through the whole procedure
// (apply, the Shanghai operator's review, the public notice, certification),
// lists a use licence, and Jiangsu's buyer buys it through the Jiangsu
// gateway to completion; the buyer then holds the right, and the
// regulator's event stream shows every step, resumable without gap or
// duplicate.
func TestMarketFlowThroughTheSDK(t *testing.T) {
	holder, operator := member(t, "shanghai", "holder"), member(t, "shanghai", "operator")
	buyer := member(t, "jiangsu", "buyer")
	regulator := member(t, "shanghai", "regulator")
	ctx := callCtx(t)
	assetID, listingID, tradeID := id("asset"), id("listing"), id("trade")
	var txs []string // the transactions of the flow, in order

	me, err := holder.Participants().Me(ctx)
	require.NoError(t, err)
	require.Equal(t, demo.ParticipantID("shanghai", "holder"), me.ID)

	data := filepath.Join(t.TempDir(), "moves.csv")
	require.NoError(t, os.WriteFile(data, []byte("berth,hour,moves\nY1,08,42\n"+run+"\n"), 0o600))
	hash, err := client.SHA256File(data)
	require.NoError(t, err)

	sub, err := holder.Assets().Apply(ctx, client.ApplyRequest{ID: assetID, Name: "Yangshan berth moves " + run, Category: "transport",
		SourceRegion: "shanghai", Description: "Container moves per berth and hour", ContentHash: hash})
	applied := committed(t, sub, err)
	assert.Equal(t, model.AssetPendingReview, applied.Status)
	assert.Equal(t, me.ID, applied.HolderID)
	firstBlock := sub.BlockNumber
	txs = append(txs, sub.TransactionID)

	sub, err = operator.Assets().Review(ctx, assetID, client.ReviewRequest{Decision: model.DecisionApprove})
	reviewed := committed(t, sub, err)
	require.Equal(t, model.AssetPublicNotice, reviewed.Status)
	txs = append(txs, sub.TransactionID)

	afterNotice(t, reviewed)

	sub, err = holder.Assets().Certify(ctx, assetID)
	certified := committed(t, sub, err)
	require.Equal(t, model.AssetRegistered, certified.Status)
	require.NotEmpty(t, certified.HoldingRightID)
	txs = append(txs, sub.TransactionID)

	check, err := buyer.Assets().VerifyContent(ctx, assetID, hash)
	require.NoError(t, err)
	assert.True(t, check.Matches)

	scope := client.Scope{Purpose: "route analytics", Regions: []string{"shanghai", "jiangsu"}, ValidUntil: time.Now().AddDate(1, 0, 0)}
	sub2, err := holder.Listings().Create(ctx, client.CreateListingRequest{ID: listingID, AssetID: assetID, RightType: model.RightUse,
		Scope: &scope, Pricing: model.PricingFixed, PriceFen: 150000, TermsHash: client.SHA256([]byte("terms " + run))})
	listing := committed(t, sub2, err)
	assert.Equal(t, "ACTIVE", listing.Status)
	assert.EqualValues(t, 150000, listing.PriceFen)
	txs = append(txs, sub2.TransactionID)

	// The Jiangsu buyer finds it by browsing, page by page.
	found := false
	for l, err := range buyer.Listings().ByCategory(ctx, "transport", client.PageSize(2)) {
		require.NoError(t, err)
		if l.ID == listingID {
			found = true
			assert.Equal(t, "shanghai", l.SourceRegion)
			break
		}
	}
	require.True(t, found, "listing %s is not among the transport listings", listingID)

	sub3, err := buyer.Trades().Order(ctx, client.OrderRequest{TradeID: tradeID, ListingID: listingID})
	require.Equal(t, model.TradeOrdered, committed(t, sub3, err).Status)
	txs = append(txs, sub3.TransactionID)
	sub3, err = holder.Trades().Accept(ctx, tradeID)
	require.Equal(t, model.TradeAccepted, committed(t, sub3, err).Status)
	txs = append(txs, sub3.TransactionID)
	sub3, err = buyer.Trades().Pay(ctx, tradeID, client.PaymentRequest{SettlementRef: "BANK-" + run, AmountFen: 150000},
		client.WithIdempotencyKey("pay-"+tradeID))
	require.Equal(t, model.TradePaid, committed(t, sub3, err).Status)
	txs = append(txs, sub3.TransactionID)

	// Paying again with the same key answers the first outcome, no new
	// transaction.
	again, err := buyer.Trades().Pay(ctx, tradeID, client.PaymentRequest{SettlementRef: "BANK-" + run, AmountFen: 150000},
		client.WithIdempotencyKey("pay-"+tradeID))
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	assert.Equal(t, sub3.TransactionID, again.TransactionID)

	// Delivery without waiting for the commit, then followed to it.
	pending, err := holder.Trades().Deliver(ctx, tradeID, hash, client.NoWait())
	require.NoError(t, err)
	require.False(t, pending.Committed)
	sub3, err = pending.Wait(ctx)
	require.Equal(t, model.TradeDelivered, committed(t, sub3, err).Status)
	txs = append(txs, sub3.TransactionID)

	sub3, err = buyer.Trades().Confirm(ctx, tradeID)
	done := committed(t, sub3, err)
	require.Equal(t, model.TradeCompleted, done.Status)
	require.NotEmpty(t, done.RightID)
	txs = append(txs, sub3.TransactionID)

	right, err := buyer.Rights().Get(ctx, done.RightID)
	require.NoError(t, err)
	assert.Equal(t, demo.ParticipantID("jiangsu", "buyer"), right.HolderID)
	assert.Equal(t, model.RightUse, right.Type)
	assert.Equal(t, "route analytics", right.Scope.Purpose)
	assert.Equal(t, model.OriginTrade, right.Origin)

	rights, err := client.Collect(buyer.Rights().ByAsset(ctx, assetID))
	require.NoError(t, err)
	var held []string
	for _, r := range rights {
		held = append(held, r.Type+" "+r.HolderID)
	}
	assert.ElementsMatch(t, []string{"HOLDING " + me.ID, "USE " + demo.ParticipantID("jiangsu", "buyer")}, held)

	mine := false
	for r, err := range buyer.Rights().ByHolder(ctx, demo.ParticipantID("jiangsu", "buyer"), client.PageSize(100)) {
		require.NoError(t, err)
		mine = mine || r.ID == done.RightID
	}
	assert.True(t, mine, "the buyer's rights include %s", done.RightID)

	// A completed trade cannot be confirmed again: the chaincode's 409.
	_, err = buyer.Trades().Confirm(ctx, tradeID)
	assert.True(t, client.IsConflict(err), "%v", err)
	var e *client.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, client.CodeConflict, e.Code)

	// The regulator's events from the application's block on hold every
	// step of the flow, in order.
	streamCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var seen []client.Event
	for ev, err := range regulator.Events(streamCtx, client.EventsFromBlock(firstBlock)) {
		require.NoError(t, err)
		if slices.Contains(txs, ev.TransactionID) {
			seen = append(seen, ev)
		}
		if ev.TransactionID == txs[len(txs)-1] {
			break
		}
	}
	require.Len(t, seen, len(txs), "events seen: %v", seen)
	for i, ev := range seen {
		assert.Equal(t, txs[i], ev.TransactionID)
	}
	assert.Equal(t, "AssetApplied", seen[0].Name)
	assert.Equal(t, "TradeCompleted", seen[len(seen)-1].Name)

	// Resuming after the third event starts exactly at the fourth.
	for ev, err := range regulator.Events(streamCtx, client.EventsFrom(seen[2].ID)) {
		require.NoError(t, err)
		if slices.Contains(txs, ev.TransactionID) {
			assert.Equal(t, seen[3].ID, ev.ID)
			break
		}
	}
}

// Zhejiang's agency publishes a credit record about the Shanghai holder in
// two steps; the holder authorises Jiangsu's buyer, whose lookup returns the
// verified contents and leaves a trace the holder lists; a buyer without
// authorisation is refused.
func TestCreditThroughTheSDK(t *testing.T) {
	agency, holder := member(t, "zhejiang", "agency"), member(t, "shanghai", "holder")
	buyer, stranger := member(t, "jiangsu", "buyer"), member(t, "anhui", "buyer")
	ctx := callCtx(t)
	recordID, authID := id("rating"), id("auth")
	purpose := "supplier due diligence " + run

	me, err := holder.Participants().Me(ctx)
	require.NoError(t, err)
	subject := me.USCC
	require.Equal(t, demo.USCC("shanghai", "holder"), subject)

	year := time.Now().AddDate(1, 0, 0)
	stagedSub, err := agency.Credit().Stage(ctx, client.StageRequest{RecordID: recordID, SubjectUSCC: subject,
		Record: client.CreditContents{Type: model.RecordTypeRating, Grade: "A", EvidenceHash: client.SHA256([]byte("audit " + run)),
			ValidUntil: year, Summary: "Annual enterprise rating"}})
	staged := committed(t, stagedSub, err)
	require.Equal(t, recordID, staged.RecordID)
	publishedSub, err := agency.Credit().Publish(ctx, recordID, subject)
	published := committed(t, publishedSub, err)
	assert.Equal(t, staged.ContentHash, published.ContentHash)
	assert.Equal(t, "ZhejiangMSP", published.AgencyMSP)

	got, err := holder.Credit().Record(ctx, recordID)
	require.NoError(t, err)
	assert.Equal(t, published.ContentHash, got.ContentHash)
	// To whoever may not list the subject's records it is as a missing one.
	_, err = stranger.Credit().Record(ctx, recordID)
	assert.True(t, client.IsNotFound(err), "another enterprise's record: %v", err)

	_, err = stranger.Credit().Lookup(ctx, subject, client.LookupRequest{Purpose: purpose})
	assert.True(t, client.IsForbidden(err), "a lookup without authorisation: %v", err)

	authSub, err := holder.Credit().Authorize(ctx, client.AuthorizeRequest{AuthID: authID,
		GranteeID: demo.ParticipantID("jiangsu", "buyer"), Purpose: purpose, ValidUntil: year})
	auth := committed(t, authSub, err)
	assert.Equal(t, model.AuthorizationActive, auth.Status)

	res, err := buyer.Credit().Lookup(ctx, subject, client.LookupRequest{Purpose: purpose, AuthorizationID: authID})
	require.NoError(t, err)
	assert.Equal(t, demo.ParticipantID("jiangsu", "buyer"), res.Trace.QuerierID)
	assert.Equal(t, model.BasisAuthorization, res.Trace.Basis)
	var read *client.RecordRead
	for i := range res.Records {
		if res.Records[i].Record.RecordID == recordID {
			read = &res.Records[i]
		}
	}
	require.NotNil(t, read, "the lookup returned the new record: %+v", res.Records)
	assert.True(t, read.Verified)
	assert.True(t, read.CheckContents(), "the contents hash to the public content hash, checked here")
	contents, err := read.DecodeContents()
	require.NoError(t, err)
	assert.Equal(t, "A", contents.Grade)
	assert.Equal(t, subject, contents.SubjectUSCC)

	// The trace is committed: the subject sees who looked and why.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var traced bool
		for tr, err := range holder.Credit().Traces(ctx, subject, client.PageSize(100)) {
			require.NoError(t, err)
			traced = traced || (tr.TraceID == res.Trace.TraceID && tr.Purpose == purpose)
		}
		if traced {
			break
		}
		require.True(t, time.Now().Before(deadline), "trace %s not listed", res.Trace.TraceID)
		time.Sleep(200 * time.Millisecond)
	}
}

// The gateway's refusals arrive as typed errors.
func TestRefusalsThroughTheSDK(t *testing.T) {
	ctx := callCtx(t)
	buyer := member(t, "anhui", "buyer")

	_, err := buyer.Assets().Get(ctx, id("no-such-asset"))
	assert.True(t, client.IsNotFound(err), "%v", err)

	_, err = buyer.Assets().Apply(ctx, client.ApplyRequest{ID: id("bad"), Name: "n", Category: "transport", SourceRegion: "anhui",
		Description: "d", ContentHash: "not-a-hash"})
	var e *client.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status)
	assert.Equal(t, "contentHash", e.Field)

	_, err = buyer.Assets().Apply(ctx, client.ApplyRequest{ID: id("buyer-asset"), Name: "n", Category: "transport", SourceRegion: "anhui",
		Description: "d", ContentHash: client.SHA256([]byte(id("buyer-asset")))})
	assert.True(t, client.IsForbidden(err), "a buyer is not a holder: %v", err)

	// Another region's API key is unknown to this gateway.
	keys := demoKeys(t)
	wrong, err := client.New(keys["SHANGHAI_GW"], client.WithAPIKey(keys["ANHUI_BUYER_KEY"]), client.WithCAFile(keys["SHANGHAI_CA"]))
	require.NoError(t, err)
	_, err = wrong.Participants().Me(ctx)
	assert.True(t, client.IsUnauthenticated(err), "%v", err)
	require.NoError(t, wrong.Ready(ctx), "readiness needs no credentials")

	// A member's own TLS client certificate instead of an API key.
	o, err := testNet.Config().Org("shanghai")
	require.NoError(t, err)
	dir := filepath.Join(filepath.Dir(testNet.Config().UserMSPDir(o, "buyer")), "tls")
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key"))
	require.NoError(t, err)
	byCert, err := client.New(keys["SHANGHAI_GW"], client.WithTLSClientCertificate(cert), client.WithCAFile(keys["SHANGHAI_CA"]))
	require.NoError(t, err)
	p, err := byCert.Participants().Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, demo.ParticipantID("shanghai", "buyer"), p.ID)
}

// The command-line tool against the real gateways, as the README shows it:
// from the repository root, with the demo keys file found by default.
func TestTheCommandLineTool(t *testing.T) {
	demoKeys(t)
	root := testNet.Config().Root
	bin := filepath.Join(t.TempDir(), "deltaledger")
	build := exec.Command("go", "build", "-o", bin, "./client/cmd/deltaledger")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	cli := func(args ...string) string {
		t.Helper()
		return string(runCLI(t, bin, root, args...))
	}

	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(cli("--org", "anhui", "--role", "buyer", "whoami")), &p))
	assert.Equal(t, demo.ParticipantID("anhui", "buyer"), p["id"])
	assert.Equal(t, "AnhuiMSP", p["mspId"])

	table := cli("--org", "anhui", "--role", "buyer", "listings", "browse", "--category", "transport", "-o", "table")
	sc := bufio.NewScanner(strings.NewReader(table))
	require.True(t, sc.Scan())
	assert.Regexp(t, `^ID\s+ASSET\s+RIGHT\s+PRICING\s+PRICE_FEN\s+CATEGORY\s+SOURCE\s+SELLER\s+STATUS$`, sc.Text())
	rows := 0
	for sc.Scan() {
		assert.Regexp(t, `\stransport\s.*\sACTIVE$`, sc.Text())
		rows++
	}
	assert.Positive(t, rows, "the demo market lists transport data:\n%s", table)

	var items []model.Listing
	require.NoError(t, json.Unmarshal([]byte(cli("--profile", "jiangsu/buyer", "--keys-file", testNet.Config().DemoKeysFile(), "listings", "browse",
		"--region", "shanghai", "--limit", "0", "--page-size", "3")), &items))
	for _, l := range items {
		assert.Equal(t, "shanghai", l.SourceRegion)
	}

	// Refusals exit with their class's status (deltaledger --help), and in
	// the language of LANG, the gateway's messages too.
	fails := func(lang string, args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "DELTALEDGER_GATEWAY=", "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=",
			"LC_ALL=", "LC_MESSAGES=", "LANG="+lang)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		require.True(t, errors.As(err, &ee), "deltaledger %s must fail: %v %s", strings.Join(args, " "), err, stdout.String())
		assert.Empty(t, stdout.String(), "a refusal prints nothing on the standard output")
		return ee.ExitCode(), stderr.String()
	}
	missing := fmt.Sprintf("no-such-asset-%d", time.Now().UnixNano())
	status, stderr := fails("C.UTF-8", "--org", "anhui", "--role", "buyer", "assets", "get", missing)
	assert.Equal(t, 6, status, stderr)
	assert.Contains(t, stderr, "Error: 404 NOT_FOUND: ")
	status, stderr = fails("zh_CN.UTF-8", "--org", "anhui", "--role", "buyer", "assets", "get", missing)
	assert.Equal(t, 6, status, stderr)
	assert.Contains(t, stderr, "错误： 404 NOT_FOUND: 数据资产 \""+missing+"\" 不存在", "the chaincode's refusal in Chinese")
	status, stderr = fails("zh_CN.UTF-8", "--org", "anhui", "--role", "buyer", "listings", "browse", "--category", "Not A Slug")
	assert.Equal(t, 3, status, stderr)
	assert.Contains(t, stderr, "category: 必须符合 ", "the gateway's field rule in Chinese")
	status, stderr = fails("en_US.UTF-8", "--org", "shanghai", "--role", "regulator", "assets", "apply", "--id", missing, "--name", "n",
		"--category", "transport", "--region", "shanghai", "--description", "d", "--content-hash", client.SHA256([]byte(missing)))
	assert.Equal(t, 5, status, "the regulator changes nothing: %s", stderr)
	assert.Contains(t, stderr, "403 FORBIDDEN: ")
	status, stderr = fails("zh_CN.UTF-8", "--org", "shanghai", "--role", "regulator", "assets", "apply", "--id", missing, "--name", "n",
		"--category", "transport", "--region", "shanghai", "--description", "d", "--content-hash", client.SHA256([]byte(missing)))
	assert.Equal(t, 5, status, stderr)
	assert.Contains(t, stderr, "403 FORBIDDEN: 参与方 \"", "the chaincode's refusal of the regulator in Chinese")
	assert.Contains(t, stderr, "不具有此处所需的任何角色 [holder]")
}

// The README's section "The client" works as written: its bash blocks, run
// with `set -e` from the repository root against the running gateways,
// succeed and show what they promise.
func TestReadmeClientSection(t *testing.T) {
	demoKeys(t)
	root := testNet.Config().Root
	out := readmetest.Run(t, root, "## The client",
		"DELTALEDGER_GATEWAY=", "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=")
	t.Logf("the README client section's output:\n%s", out)
	for _, want := range clientSectionShows {
		assert.Contains(t, out, want, "the README client section's output:\n%s", out)
	}
}

// clientSectionShows is what the README's section "The client" shows, in
// either language.
var clientSectionShows = []string{`"id": "anhui.buyer"`, "PRICE_FEN", "PUBLIC_NOTICE", "REGISTERED", "COMPLETED", "AssetCertified"}

// The README's section "The auditor's walk" works as written on the demo
// market: the regulator lists the market, reads a sold asset's one history,
// finds every step a valid transaction of the channel, and an unknown
// transaction ID is NOT_FOUND; an operator reads its own region only.
func TestReadmeAuditorsWalk(t *testing.T) {
	demoKeys(t)
	out := readmetest.Run(t, testNet.Config().Root, "## The auditor's walk",
		"DELTALEDGER_GATEWAY=", "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE=")
	t.Logf("the README auditor's walk's output:\n%s", out)
	for _, want := range auditorsWalkShows {
		assert.Contains(t, out, want, "the README auditor's walk's output:\n%s", out)
	}
}

// auditorsWalkShows is what the README's section "The auditor's walk"
// shows, in either language.
var auditorsWalkShows = []string{"COMPLETED", "APPLIED", "CERTIFIED", "SOLD", "HOLDING",
	"history is a valid transaction", "NOT_FOUND", "an unknown transaction is NOT_FOUND", "FORBIDDEN", "the whole market is the regulator's"}
